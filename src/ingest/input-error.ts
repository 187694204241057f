// Ingest stage: the one error ingest throws, for input that holds nothing reviewable (empty, binary, unreadable, no patch).

/** Bad input; the message names the input (file name or `<stdin>`), so the CLI can print it as is and exit. */
export class InputError extends Error {
  override readonly name = 'InputError';

  constructor(
    message: string,
    /** File name or `<stdin>`. */
    readonly origin: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
