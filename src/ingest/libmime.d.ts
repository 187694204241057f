// Ingest stage: the part of libmime (mailparser's own header decoder) that ingest calls; the package ships no types.

declare module 'libmime' {
  interface Libmime {
    /** Decodes RFC 2047 encoded-words (`=?UTF-8?q?...?=`) in a header value. */
    decodeWords(value: string): string;
  }
  const libmime: Libmime;
  export default libmime;
}
