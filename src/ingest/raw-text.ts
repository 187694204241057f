// Ingest stage: the input's bytes indexed by line, so every later step can say which line of the file it is on.

/**
 * The raw input as a byte-preserving (latin1) string with line offsets. Structure (mbox
 * separators, headers, MIME boundaries) is ASCII, so it can be found without decoding;
 * text is decoded only from the byte ranges that need it.
 */
export class RawText {
  readonly bytes: Buffer;
  /** One char per byte: indexes in this string are byte offsets. */
  readonly binary: string;
  /** Byte offset where each line starts; a final entry marks the end of the input. */
  private readonly starts: number[];

  constructor(bytes: Buffer) {
    this.bytes = bytes;
    this.binary = bytes.toString('latin1');
    const starts = [0];
    let at = this.binary.indexOf('\n');
    while (at !== -1) {
      starts.push(at + 1);
      at = this.binary.indexOf('\n', at + 1);
    }
    // A final line without a newline still counts; a trailing newline does not open an empty line.
    if (starts[starts.length - 1] !== this.binary.length) starts.push(this.binary.length);
    this.starts = starts;
  }

  /** Number of lines in the input. */
  get lineCount(): number {
    return this.starts.length - 1;
  }

  /** Line `index` (0-based) as latin1 text, without its `\n` or `\r\n`. */
  line(index: number): string {
    const start = this.starts[index]!;
    let end = this.starts[index + 1]! - 1;
    if (end < start || this.binary.charCodeAt(end) !== 10) end += 1;
    if (end > start && this.binary.charCodeAt(end - 1) === 13) end -= 1;
    return this.binary.slice(start, end);
  }

  /** Whether line `index` starts with `prefix` (ASCII), without building the line. */
  lineStartsWith(index: number, prefix: string): boolean {
    return this.binary.startsWith(prefix, this.starts[index]!);
  }

  /** The bytes of lines [from, to), newlines included. */
  slice(from: number, to: number): Buffer {
    return this.bytes.subarray(this.starts[from]!, this.starts[to]!);
  }

  /** The latin1 text of lines [from, to), newlines included. */
  text(from: number, to: number): string {
    return this.binary.slice(this.starts[from]!, this.starts[to]!);
  }
}
