import { ErrorCode } from '@app/contracts';
import { type ArgumentMetadata, BadRequestException, ValidationPipe, type ValidationError } from '@nestjs/common';
import { bodyShapeProblems } from './body-shape.js';
import { shown } from './request-text.js';

/**
 * One message per failed constraint, naming the field. A field name is request text (an unknown
 * field's name comes from the body): it is named only when it is plain text (`shown`).
 */
function messages(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((error) => {
    const name = shown(error.property);
    const path = `${prefix}${name}`;
    const own = Object.values(error.constraints ?? {})
      .map((m) => (name === error.property || error.property === '' ? m : m.replaceAll(error.property, name)))
      .map((m) => (m.startsWith(name) ? `${prefix}${m}` : `${path}: ${m}`));
    return [...own, ...messages(error.children ?? [], `${path}.`)];
  });
}

function validationFailed(message: string[]): BadRequestException {
  return new BadRequestException({ error: 'Bad Request', code: ErrorCode.Validation, message });
}

/** A body bound to a DTO class (`@Body() body: LoginRequestDto`), as opposed to `@Body() raw: unknown`. */
function isDtoBody(metadata: ArgumentMetadata): boolean {
  return metadata.type === 'body' && typeof metadata.metatype === 'function' && ![Object, String, Number, Boolean, Array].includes(metadata.metatype as never);
}

/** The ValidationPipe behind a shape check: only flat objects of scalars reach class-transformer. */
class BodyValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (isDtoBody(metadata)) {
      const problems = bodyShapeProblems(value);
      if (problems.length > 0) throw validationFailed(problems);
    }
    return super.transform(value, metadata);
  }
}

/**
 * Strict body validation: a body that is not one flat object of scalars, a prototype key, an unknown
 * field or a wrong type is a 400 naming the field.
 */
export function createValidationPipe(): ValidationPipe {
  return new BodyValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    stopAtFirstError: false,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => validationFailed(messages(errors)),
  });
}
