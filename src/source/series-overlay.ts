// Source stage: post-images left by earlier patches of a series, so a later patch applies on top of them.

/** Upper bound of text kept (oldest files dropped first): a series touches a few files, a long run many. */
export const OVERLAY_MAX_CHARS = 32 * 1024 * 1024;

/** File path → its text after the patches reviewed so far, bounded in size. */
export class SeriesOverlay {
  private readonly files = new Map<string, string>();
  private chars = 0;

  constructor(private readonly maxChars = OVERLAY_MAX_CHARS) {}

  get(path: string): string | undefined {
    return this.files.get(path);
  }

  /** Records a file's new text (re-inserted as the most recent). */
  set(path: string, text: string): void {
    this.delete(path);
    if (text.length > this.maxChars) return;
    this.files.set(path, text);
    this.chars += text.length;
    for (const [oldest, t] of this.files) {
      if (this.chars <= this.maxChars) break;
      this.files.delete(oldest);
      this.chars -= t.length;
    }
  }

  delete(path: string): void {
    const t = this.files.get(path);
    if (t === undefined) return;
    this.files.delete(path);
    this.chars -= t.length;
  }

  get size(): number {
    return this.files.size;
  }
}
