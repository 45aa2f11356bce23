/** @fnproject/fdk ships no type declarations: the part the harness calls. */
declare module "@fnproject/fdk" {
  export function handle(
    fn: (input: unknown, ctx: unknown) => unknown,
    options?: { inputMode?: "json" | "string" | "buffer" },
  ): () => void;
  const fdk: { handle: typeof handle };
  export default fdk;
}
