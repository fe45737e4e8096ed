import { ErrorCode } from '@app/contracts';
import { BadRequestException, ValidationPipe, type ValidationError } from '@nestjs/common';

function messages(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((error) => {
    const path = `${prefix}${error.property}`;
    const own = Object.values(error.constraints ?? {}).map((m) => (m.startsWith(error.property) ? `${prefix}${m}` : `${path}: ${m}`));
    return [...own, ...messages(error.children ?? [], `${path}.`)];
  });
}

/** Strict body validation: unknown fields and wrong types are a 400 naming the field. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    stopAtFirstError: false,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) =>
      new BadRequestException({ error: 'Bad Request', code: ErrorCode.Validation, message: messages(errors) }),
  });
}
