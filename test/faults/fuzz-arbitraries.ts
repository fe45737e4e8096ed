import * as fc from 'fast-check';

/** A body to send: the bytes and the Content-Type (absent: none is sent). */
export interface BodyCase {
  contentType?: string;
  body: Buffer;
}

const JSON_TYPE = 'application/json';
const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', '__defineGetter__'];
const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((unit) => String.fromCharCode(unit));

/** Strings that break naive handling: any code unit (lone surrogates included), controls, quotes, very long runs. */
const nastyString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: fc.oneof(loneSurrogate, fc.constantFrom('\u0000', '\u202e', '\uffff', '"', '\\', '%', '&', '=', '\n')), maxLength: 20 }),
  fc.tuple(fc.constantFrom('x', 'é', '\ud83d\ude00', '\ud800'), fc.integer({ min: 500, max: 6_000 })).map(([unit, count]) => unit.repeat(count)),
);

/** NUL, the other C0 controls, DEL and the C1 controls: never part of an identifier (PostgreSQL refuses NUL in text, SQLSTATE 22021). */
const controlChar = fc
  .oneof(
    { weight: 2, arbitrary: fc.constant(0) },
    { weight: 3, arbitrary: fc.integer({ min: 0x01, max: 0x1f }) },
    fc.constant(0x7f),
    fc.integer({ min: 0x80, max: 0x9f }),
  )
  .map((code) => String.fromCharCode(code));

/** A well-formed value, or the same with one to three control characters spliced in anywhere (first, last, middle). */
function withControls(valid: fc.Arbitrary<string>): fc.Arbitrary<string> {
  const spliced = fc.tuple(valid, fc.array(fc.tuple(fc.nat(), controlChar), { minLength: 1, maxLength: 3 })).map(([text, inserts]) =>
    inserts.reduce((acc, [at, char]) => {
      const i = at % (acc.length + 1);
      return acc.slice(0, i) + char + acc.slice(i);
    }, text),
  );
  return fc.oneof(valid, spliced);
}

const refreshToken = fc.stringMatching(/^nts_rt_[A-Za-z0-9_-]{43}$/);
const jwsLike = fc
  .tuple(fc.uint8Array({ maxLength: 60 }), fc.uint8Array({ maxLength: 60 }), fc.uint8Array({ maxLength: 60 }))
  .map((parts) => parts.map((bytes) => Buffer.from(bytes).toString('base64url')).join('.'));

/**
 * The identifier fields of every route, each well-formed (so it reaches the lookup) or with control
 * characters in it; any other field gets nasty strings.
 */
const IDENTIFIERS: Record<string, fc.Arbitrary<string>> = {
  username: withControls(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._@-]{0,20}$/)),
  client_id: withControls(fc.oneof(fc.constant('default'), fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,20}$/))),
  refresh_token: withControls(refreshToken),
  token: withControls(fc.oneof(refreshToken, jwsLike)),
};
const valueOf = (field: string) => IDENTIFIERS[field] ?? nastyString;

/** `Authorization: Basic` with a client id that is well-formed or holds control characters (base64 carries any byte). */
export function basicAuthorization(): fc.Arbitrary<string> {
  return fc
    .tuple(IDENTIFIERS.client_id, fc.string({ maxLength: 40 }))
    .map(([id, secret]) => `Basic ${Buffer.from(`${id}:${encodeURIComponent(secret.replace(/[\ud800-\udfff]/g, '?'))}`).toString('base64')}`);
}

/** JSON number text no JavaScript number holds exactly, or at all. */
const hugeNumber = fc.oneof(
  fc.constantFrom('1e999', '-1e999', '1e-999', '123456789012345678901234567890', '-0', '9007199254740993', '0.' + '0'.repeat(400) + '1'),
  fc.bigInt({ min: -(2n ** 300n), max: 2n ** 300n }).map(String),
);

/** Nesting built as text, thousands of levels deep (beyond what fc.jsonValue generates). */
const deepValue = fc
  .tuple(fc.constantFrom(['[', ']'], ['{"a":', '}'], ['[{"a":', '}]'], ['{"username":[', ']}']), fc.integer({ min: 1, max: 6_000 }))
  .map(([[open, close], depth]) => `${open.repeat(depth)}1${close.repeat(depth)}`);

/** Any JSON value as text: generated values, huge numbers, nasty strings, deep nesting. */
const jsonText: fc.Arbitrary<string> = fc.oneof(
  fc.jsonValue({ maxDepth: 6 }).map((value) => JSON.stringify(value) ?? 'null'),
  hugeNumber,
  nastyString.map((text) => JSON.stringify(text)),
  deepValue,
);

/**
 * An object written as text, so that keys may repeat (duplicate keys), be prototype keys, or be the
 * route's own fields with values of any shape.
 */
function objectText(fields: string[]): fc.Arbitrary<string> {
  const key = fc.oneof(fc.constantFrom(...fields), fc.constantFrom(...PROTOTYPE_KEYS), nastyString);
  return fc
    .array(fc.tuple(key, jsonText), { maxLength: 6 })
    .map((entries) => `{${entries.map(([name, value]) => `${JSON.stringify(name)}:${value}`).join(',')}}`);
}

/** The route's fields all present as strings, plus at times one extra field: these reach the handler. */
function nearlyValid(fields: string[]): fc.Arbitrary<string> {
  const entries = fc.tuple(...fields.map((field) => valueOf(field).map((value) => [field, value] as const)));
  const extra = fc.option(fc.tuple(fc.oneof(fc.constantFrom(...PROTOTYPE_KEYS), fc.string({ maxLength: 10 })), jsonText), { nil: undefined });
  return fc.tuple(entries, extra).map(([own, more]) => {
    const text = own.map(([name, value]) => `${JSON.stringify(name)}:${JSON.stringify(value)}`);
    if (more) text.push(`${JSON.stringify(more[0])}:${more[1]}`);
    return `{${text.join(',')}}`;
  });
}

const utf8 = (text: string) => Buffer.from(text);
const json = (text: fc.Arbitrary<string>, type: fc.Arbitrary<string> = fc.constant(JSON_TYPE)) =>
  fc.tuple(text, type).map(([body, contentType]): BodyCase => ({ contentType, body: utf8(body) }));

/** Form bodies: fields of any name and value, the route's own fields, percent-encoded or as raw (broken) text. */
function formBody(fields: string[]): fc.Arbitrary<BodyCase> {
  const pair = fc.tuple(fc.oneof(fc.constantFrom(...fields, ...PROTOTYPE_KEYS), nastyString), nastyString);
  const own = fc.tuple(...fields.map((field) => valueOf(field).map((value): [string, string] => [field, value])));
  const encode = (pairs: [string, string][]) => pairs.map(([name, value]) => `${percent(name)}=${percent(value)}`).join('&');
  const encoded = fc.oneof(fc.array(pair, { maxLength: 6 }), own).map(encode);
  const raw = fc.string({ unit: fc.constantFrom('a', '=', '&', '%', 'f', '[', ']', '.', '_'), maxLength: 60 });
  return fc
    .tuple(fc.oneof(encoded, raw), fc.constantFrom('application/x-www-form-urlencoded', 'application/x-www-form-urlencoded; charset=UTF-8'))
    .map(([body, contentType]) => ({ contentType, body: utf8(body) }));
}

/** Percent-encodes the UTF-8 bytes (a lone surrogate becomes U+FFFD, as any client would send it). */
const percent = (text: string) => [...Buffer.from(text)].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('');

const printableAscii = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 40 });
const wrongType = fc.oneof(
  fc.constantFrom(
    'text/plain',
    'text/plain; charset=utf-8',
    'multipart/form-data',
    'multipart/form-data; boundary=x',
    'application/xml',
    'application/octet-stream',
    'application/json; charset=utf-16',
    'application/JSON',
    'application/vnd.api+json',
    'application/json-patch+json',
    '*/*',
    '',
  ),
  printableAscii,
);

/**
 * Every body one JSON route may receive: objects with the route's fields (deeply nested, prototype
 * keys, duplicates, huge numbers, lone surrogates), any JSON value, broken JSON, invalid UTF-8, form
 * bodies, wrong or missing content types, empty bodies.
 */
export function bodyCase(fields: string[]): fc.Arbitrary<BodyCase> {
  return bodyCases(fields).map(printable);
}

/** A counterexample fast-check can print in a line: the content type and the start of the body. */
function printable(sent: BodyCase): BodyCase {
  const text = sent.body.toString();
  const summary = `${sent.contentType ?? '(no content type)'} ${JSON.stringify(text.slice(0, 120))}${text.length > 120 ? '...' : ''} (${sent.body.length} bytes)`;
  return Object.assign(sent, { [fc.toStringMethod]: () => summary });
}

function bodyCases(fields: string[]): fc.Arbitrary<BodyCase> {
  return fc.oneof(
    { weight: 3, arbitrary: json(objectText(fields)) },
    { weight: 2, arbitrary: json(nearlyValid(fields)) },
    { weight: 2, arbitrary: json(jsonText) },
    { weight: 1, arbitrary: json(deepValue.map((value) => `{${JSON.stringify(fields[0])}:${value}}`)) },
    { weight: 1, arbitrary: json(fc.string({ maxLength: 60 })) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 80 }).map((bytes): BodyCase => ({ contentType: JSON_TYPE, body: Buffer.from(bytes) })) },
    { weight: 1, arbitrary: formBody(fields) },
    { weight: 1, arbitrary: json(fc.oneof(objectText(fields), fc.string({ maxLength: 40 })), wrongType) },
    {
      weight: 1,
      arbitrary: fc
        .option(fc.constantFrom(JSON_TYPE, 'text/plain'), { nil: undefined })
        .map((contentType): BodyCase => ({ contentType, body: Buffer.alloc(0) })),
    },
  );
}
