import { shown } from './request-text.js';

/**
 * Keys that name the prototype chain, or a property every object inherits (`toString`,
 * `hasOwnProperty`...). class-transformer skips them silently instead of copying them onto the DTO,
 * so the whitelist would never see them; they are refused by name instead.
 */
function isPrototypeKey(key: string): boolean {
  return key === '__proto__' || key === 'prototype' || key in Object.prototype;
}

/** A JSON object or a parsed form (fast-querystring's objects have a prototype of their own, without properties). */
function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * What is wrong with the shape of a request body, before class-transformer sees it: every body the
 * auth-service accepts is one flat JSON object (or form) whose fields are strings, numbers, booleans
 * or null. An array or object as a field value is refused here, however deep it is nested, so no
 * body can make the transformation recurse (an array nested 2,000 deep overflowed its stack).
 * Returns one message per problem (a key is named only when it is plain text: `shown`); empty when
 * the shape is acceptable.
 */
export function bodyShapeProblems(body: unknown): string[] {
  if (body === undefined) return ['the request body is missing: send a JSON object (Content-Type: application/json)'];
  if (!isObject(body)) {
    const kind = Array.isArray(body) ? 'an array' : body === null ? 'null' : `a ${typeof body}`;
    return [`the request body must be a JSON object, not ${kind}`];
  }
  return Object.keys(body).flatMap((key) => {
    if (isPrototypeKey(key)) return [`property ${shown(key)} should not exist`];
    const value = body[key];
    if (typeof value === 'object' && value !== null) return [`${shown(key)} must be a single value, not ${Array.isArray(value) ? 'an array' : 'an object'}`];
    return [];
  });
}
