import type { Readable } from 'node:stream';

export type ProblemCode =
  | 'zip-slip'
  | 'link'
  | 'limit-bytes'
  | 'limit-ratio'
  | 'limit-entries'
  | 'corrupt'
  | 'encrypted'
  | 'unsupported'
  /** Two entries normalise to the same name: tools disagree on which one "is" the file. */
  | 'duplicate-name';

export type ContainerEntry = {
  type: 'entry';
  /** Path inside the container: '/' separators, no `..`, no leading '/', unique within the container. */
  name: string;
  /** Declared decompressed size when the format states it. */
  size?: number;
  /**
   * The entry's bytes. Consume it fully (or destroy it) before pulling the next event; pulling the
   * next event destroys a stream left unread. It errors if a limit is hit while reading.
   */
  stream: Readable;
  /** Bytes serialised by us (e.g. rebuilt from Outlook storage), not the original. */
  rebuilt?: boolean;
};

export type ContainerProblem = {
  type: 'problem';
  /** Entry name as stored in the container, when the problem concerns one entry. */
  name?: string;
  reason: string;
  code: ProblemCode;
};

export type ContainerEvent = ContainerEntry | ContainerProblem;

export function problem(code: ProblemCode, reason: string, name?: string): ContainerProblem {
  return name === undefined ? { type: 'problem', code, reason } : { type: 'problem', code, reason, name };
}
