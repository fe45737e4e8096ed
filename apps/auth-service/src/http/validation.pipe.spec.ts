import { LoginRequestDto, RevokeRequestDto } from '@app/contracts';
import { type ArgumentMetadata, BadRequestException } from '@nestjs/common';
import { createValidationPipe } from './validation.pipe.js';

const pipe = createValidationPipe();
const asBody = (metatype: ArgumentMetadata['metatype']): ArgumentMetadata => ({ type: 'body', metatype, data: '' });
const login = asBody(LoginRequestDto);

/** The 400 body the pipe answers with, or a failure naming what it threw instead. */
async function refusal(value: unknown, metadata = login): Promise<{ code: string; message: string[] }> {
  const error = await pipe.transform(value, metadata).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof BadRequestException)) throw new Error(`expected a 400, got ${String(error)}`);
  return error.getResponse() as { code: string; message: string[] };
}

const nested = (depth: number) => JSON.parse(`{"username":${'['.repeat(depth)}${']'.repeat(depth)},"password":"p"}`) as unknown;

describe('the auth-service ValidationPipe', () => {
  it('passes a well-formed body through', async () => {
    await expect(pipe.transform({ username: 'alice', password: 'secret' }, login)).resolves.toEqual({ username: 'alice', password: 'secret' });
  });

  it('refuses an array nested 2,000 (and 10,000) deep with a 400 naming the field, before class-transformer recurses', async () => {
    for (const depth of [1, 2_000, 10_000]) {
      expect(await refusal(nested(depth))).toEqual({
        error: 'Bad Request',
        code: 'ERR_VALIDATION',
        message: ['username must be a single value, not an array'],
      });
    }
    expect((await refusal(JSON.parse('{"password":{"a":{"b":{}}}}'))).message).toContain('password must be a single value, not an object');
  });

  it.each(['constructor', 'prototype', 'toString', 'hasOwnProperty', '__proto__'])(
    'refuses the prototype key %s (class-transformer would drop it silently)',
    async (key) => {
      const body = JSON.parse(`{"username":"alice","password":"secret","${key}":"x"}`) as unknown;
      expect((await refusal(body)).message).toEqual([`property ${key} should not exist`]);
    },
  );

  it('lets no prototype key pollute Object.prototype, whatever its value', async () => {
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      const body = JSON.parse(`{"username":"alice","password":"secret","${key}":{"polluted":"yes","prototype":{"polluted":"yes"}}}`) as unknown;
      expect((await refusal(body)).message).toEqual([`property ${key} should not exist`]);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  // fast-querystring (the form parser) builds its objects from a constructor whose prototype is Object.create(null).
  function formBody(fields: Record<string, string | string[]>): object {
    function ParsedForm(this: object) {}
    ParsedForm.prototype = Object.create(null) as object;
    return Object.assign(new (ParsedForm as unknown as new () => object)(), fields);
  }

  it('passes a form body, and refuses prototype keys and repeated fields in one', async () => {
    const revoke = asBody(RevokeRequestDto);
    await expect(pipe.transform(formBody({ token: 'nts_rt_x' }), revoke)).resolves.toEqual({ token: 'nts_rt_x' });
    expect((await refusal(formBody({ token: 'nts_rt_x', constructor: 'x' }), revoke)).message).toEqual(['property constructor should not exist']);
    expect((await refusal(formBody({ token: ['a', 'b'] }), revoke)).message).toEqual(['token must be a single value, not an array']);
  });

  it.each([
    [undefined, 'the request body is missing: send a JSON object (Content-Type: application/json)'],
    [null, 'the request body must be a JSON object, not null'],
    [[], 'the request body must be a JSON object, not an array'],
    ['username=alice', 'the request body must be a JSON object, not a string'],
    [12, 'the request body must be a JSON object, not a number'],
  ])('refuses the body %p: %s', async (body, message) => {
    expect((await refusal(body)).message).toEqual([message]);
  });

  it('leaves an unknown field and a wrong type to class-validator, which names them', async () => {
    expect((await refusal({ username: 'alice', password: 'secret', foo: 1 })).message).toEqual(['foo: property foo should not exist']);
    expect((await refusal({ username: 12, password: 'secret' })).message).toContain('username must be a string');
  });

  it('names a field only when its name is plain text: never a CR/LF, a quote or a backslash from the body', async () => {
    const hostile = 'x\r\nforged "q" \\';
    expect((await refusal({ username: 'alice', password: 'secret', [hostile]: 1 })).message).toEqual(['(not shown): property (not shown) should not exist']);
    expect((await refusal({ username: 'alice', password: 'secret', [hostile]: [1] })).message).toEqual(['(not shown) must be a single value, not an array']);
    expect((await refusal({ username: 'alice', password: 'secret', '': 1 })).message).toEqual(['(not shown): property  should not exist']);
  });

  it('does not touch a parameter that is not a DTO body', async () => {
    await expect(pipe.transform([[[]]], { type: 'body', metatype: Object, data: '' })).resolves.toEqual([[[]]]);
    await expect(pipe.transform('x', { type: 'param', metatype: String, data: 'id' })).resolves.toBe('x');
  });
});
