/** asl-validator ships no type declarations: the part the tests call. */
declare module "asl-validator" {
  interface AslValidationResult {
    readonly isValid: boolean;
    readonly errors: ReadonlyArray<{ readonly message?: string; readonly path?: string }>;
  }
  export default function validator(definition: unknown, options?: Record<string, unknown>): AslValidationResult;
}
