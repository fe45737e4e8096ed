/**
 * A bad setting: the service refuses to start, and the message names the variable
 * (`Invalid configuration: PORT must be an integer from 0 to 65535 (got "http")`).
 * The problem never repeats a secret's value.
 */
export class ConfigValidationError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`Invalid configuration: ${variable} ${problem}`);
    this.name = 'ConfigValidationError';
  }
}
