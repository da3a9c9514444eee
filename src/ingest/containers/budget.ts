import type { IngestLimits } from '../limits.js';
import { LimitError } from './pump.js';
import { problem, type ContainerProblem } from './types.js';

/** Counts what one container has yielded against its entry and expanded-bytes limits. */
export class ContainerBudget {
  private entries = 0;
  private bytes = 0;

  constructor(private readonly limits: IngestLimits) {}

  /** Call before yielding an entry; a problem means stop reading this container. */
  admitEntry(): ContainerProblem | undefined {
    if (this.entries >= this.limits.maxEntries) {
      return problem('limit-entries', `more than ${this.limits.maxEntries} entries; the rest were not read (raise --max-entries to read them)`);
    }
    this.entries++;
    return undefined;
  }

  /** A problem if an entry declaring `size` bytes cannot fit in what is left. */
  admitDeclared(size: number, name: string): ContainerProblem | undefined {
    if (this.bytes + size <= this.limits.maxExpandedBytes) return undefined;
    return problem('limit-bytes', this.overMessage(), name);
  }

  /** The error to fail an entry with once it has read `entryBytes` bytes, if that is over the total. */
  check(entryBytes: number): LimitError | undefined {
    return this.bytes + entryBytes > this.limits.maxExpandedBytes ? new LimitError('limit-bytes', this.overMessage()) : undefined;
  }

  /** Record a finished entry. */
  spend(entryBytes: number): void {
    this.bytes += entryBytes;
  }

  private overMessage(): string {
    return `expanding this would exceed ${this.limits.maxExpandedBytes} bytes for one container; reading stopped (raise --max-bytes to read it)`;
  }
}
