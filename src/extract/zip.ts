// Reads selected members of a ZIP (OOXML, ODF) from memory with yauzl, with a size cap per member
// so a zip bomb inside a dump cannot exhaust memory.
import yauzl from 'yauzl';

export const MAX_MEMBER_BYTES = 256 * 1024 * 1024;

export interface ZipContents {
  names: string[];
  files: Map<string, Buffer>;
  /** Members that were wanted but could not be read, with reasons. */
  problems: string[];
}

/** Lists every member name and reads those `want` accepts. Rejects when the bytes are not a ZIP. */
export function readZip(bytes: Buffer, want: (name: string) => boolean): Promise<ZipContents> {
  return new Promise((resolvePromise, reject) => {
    yauzl.fromBuffer(bytes, { lazyEntries: true, decodeStrings: true, validateEntrySizes: true, strictFileNames: false }, (err, zip) => {
      if (err || !zip) {
        reject(err ?? new Error('not a ZIP archive'));
        return;
      }
      const out: ZipContents = { names: [], files: new Map(), problems: [] };
      zip.on('error', (e: Error) => reject(e));
      zip.on('end', () => resolvePromise(out));
      zip.on('entry', (entry: yauzl.Entry) => {
        const name = entry.fileName;
        out.names.push(name);
        if (name.endsWith('/') || !want(name)) {
          zip.readEntry();
          return;
        }
        if (entry.uncompressedSize > MAX_MEMBER_BYTES) {
          out.problems.push(`${name}: ${entry.uncompressedSize} bytes uncompressed, over the ${MAX_MEMBER_BYTES}-byte cap; not read`);
          zip.readEntry();
          return;
        }
        zip.openReadStream(entry, (e2, stream) => {
          if (e2 || !stream) {
            out.problems.push(`${name}: ${e2?.message ?? 'cannot open'}`);
            zip.readEntry();
            return;
          }
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('error', (e3: Error) => {
            out.problems.push(`${name}: ${e3.message}`);
            zip.readEntry();
          });
          stream.on('end', () => {
            out.files.set(name, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}
