/**
 * The home of a line-protocol line (its `home` tag) read from the bytes, for the file index: each
 * line's hour is counted per home, so a reader reads and fingerprints only its own home's lines.
 *
 * The tags are read exactly as parseLine reads them (core/src/data/line-protocol.ts), since the
 * index decides which bytes a reader reads at all: the series key ends at the first unescaped space,
 * tags are split at unescaped commas and at each one's first unescaped `=`, a backslash escapes the
 * byte after it (the line-protocol spec escapes commas, equals signs and spaces in tag keys and
 * values), the last `home` tag wins, and an empty value is no tag. Delimiters are ASCII, and no
 * UTF-8 sequence of another character holds an ASCII byte, so bytes split where the text does.
 */

const HOME = Buffer.from("home");
/** What a home tag holds (after its comma): searched without the comma, a far rarer first byte. */
const HOME_TAG = Buffer.from("home=");
/** Series keys remembered (LineHomes.keys). */
const KEYS_KEPT = 4;
const unescape = (s: string) => (s.includes("\\") ? s.replace(/\\(.)/g, "$1") : s);

export class LineHomes {
  /** The home tag values met, by number; "" is a line without one. */
  readonly names: string[];
  private readonly numbers: Map<string, number>;
  /** The bytes of the last value met and its number: almost every line repeats it. */
  private last: Buffer = Buffer.alloc(0);
  private lastNumber = -1;
  /**
   * The series keys (measurement and tags, up to the space) of the last lines read in full, newest
   * first, and their homes: a journal repeats a few keys (each meter's, the heat pump's), compared
   * natively instead of byte by byte.
   */
  private readonly keys: Buffer[] = [];
  private readonly keyNumbers: number[] = [];

  constructor(names: readonly string[] = []) {
    this.names = [...names];
    this.numbers = new Map(this.names.map((n, i) => [n, i]));
  }

  /** The number of "" (no home tag), once met. */
  private untagged = -1;

  private none(): number {
    if (this.untagged < 0) this.untagged = this.number("");
    return this.untagged;
  }

  private number(name: string): number {
    let n = this.numbers.get(name);
    if (n === undefined) {
      n = this.names.length;
      this.names.push(name);
      this.numbers.set(name, n);
    }
    return n;
  }

  /**
   * In the chunk being read (chunk()): where its first `home=` is, and the next backslash at or
   * after where one was last looked for (the chunk's end: none), each found natively, not per line.
   * A line before the first `home=` and without a backslash is untagged: a file from before homes
   * costs nothing more. One after it without a backslash has its series key read once, in plainKey.
   */
  private chunkEnd = 0;
  private firstTag = -1;
  private nextEscape = -1;

  /** A new chunk of the file is in `buf`, up to `end`: what was found in the last one is gone. */
  chunk(buf: Buffer, end: number): void {
    this.chunkEnd = end;
    this.firstTag = this.find(buf, HOME_TAG, 0);
    this.nextEscape = -1;
  }

  /**
   * The number of the home of the line buf[from..to) (a new one for a name not met before), the
   * line in the chunk announced by chunk().
   */
  of(buf: Buffer, from: number, to: number): number {
    if (this.nextEscape < from) this.nextEscape = this.find(buf, 92, from);
    if (this.nextEscape < to) return this.keyed(buf, from, to);
    return this.firstTag >= to ? this.none() : this.plainKey(buf, from, to);
  }

  /** Where `what` is next in the chunk from `from`, or the chunk's end. */
  private find(buf: Buffer, what: number | Buffer, from: number): number {
    const i = buf.indexOf(what, from);
    return i < 0 || i >= this.chunkEnd ? this.chunkEnd : i;
  }

  /**
   * The home of a line without a backslash, read as read() does, in one pass over its series key:
   * nothing being escaped, the key ends at the first space and every comma starts a tag.
   */
  private plainKey(buf: Buffer, from: number, to: number): number {
    let i = from;
    while (i < to && buf[i] !== 44 && buf[i] !== 32) i++;
    let at = -1;
    let end = -1;
    while (i < to && buf[i] === 44) {
      const k = i + 1;
      if (
        buf[k] === 104 &&
        buf[k + 1] === 111 &&
        buf[k + 2] === 109 &&
        buf[k + 3] === 101 &&
        buf[k + 4] === 61
      ) {
        at = k + 5; // "home="
        for (i = at; i < to && buf[i] !== 44 && buf[i] !== 32; i++);
        end = i;
      } else for (i = k; i < to && buf[i] !== 44 && buf[i] !== 32; i++);
    }
    if (at < 0 || end === at) return this.none();
    const last = this.last;
    if (end - at === last.length) {
      let same = true;
      for (let j = 0; j < last.length && same; j++) same = buf[at + j] === last[j];
      if (same) return this.lastNumber;
    }
    return this.remember(buf, at, end);
  }

  /** The home of a line read through its series key (remembered: see `keys`). */
  private keyed(buf: Buffer, from: number, to: number): number {
    // The same bytes up to a space: the same series key (it ended at its first unescaped space).
    for (let k = 0; k < this.keys.length; k++) {
      const key = this.keys[k]!;
      const n = key.length;
      if (from + n < to && buf[from + n] === 32 && buf.compare(key, 0, n, from, from + n) === 0)
        return this.keyNumbers[k]!;
    }
    const home = this.read(buf, from, to);
    // Where the key ended: read() leaves it in keyEnd.
    if (this.keyEnd < to && buf[this.keyEnd] === 32) {
      this.keys.unshift(Buffer.from(buf.subarray(from, this.keyEnd)));
      this.keyNumbers.unshift(home);
      if (this.keys.length > KEYS_KEPT) {
        this.keys.pop();
        this.keyNumbers.pop();
      }
    }
    return home;
  }

  /** Where the series key of the line read last ended. */
  private keyEnd = 0;

  private read(buf: Buffer, from: number, to: number): number {
    let i = from;
    // The measurement: up to an unescaped comma (tags follow) or space (none do).
    for (; i < to; i++) {
      const c = buf[i];
      if (c === 92) i++;
      else if (c === 44 || c === 32) break;
    }
    this.keyEnd = i;
    let at = -1;
    let end = -1;
    let escaped = false;
    while (i < to && buf[i] === 44) {
      const key = i + 1;
      let eq = -1;
      let keyEscaped = false;
      let valueEscaped = false;
      for (i = key; i < to; i++) {
        const c = buf[i];
        if (c === 92) {
          if (eq < 0) keyEscaped = true;
          else valueEscaped = true;
          i++;
        } else if (c === 44 || c === 32) break;
        else if (c === 61 && eq < 0) eq = i;
      }
      this.keyEnd = i;
      if (eq < 0) continue; // not a tag: parseLine refuses the line, a reader reports it
      const isHome = keyEscaped
        ? unescape(buf.toString("utf8", key, eq)) === "home"
        : eq - key === 4 && buf.compare(HOME, 0, 4, key, eq) === 0;
      if (isHome) {
        at = eq + 1;
        end = Math.min(i, to);
        escaped = valueEscaped;
      }
    }
    if (at < 0 || end <= at) return this.number("");
    if (
      !escaped &&
      end - at === this.last.length &&
      buf.compare(this.last, 0, this.last.length, at, end) === 0
    )
      return this.lastNumber;
    if (escaped) return this.number(unescape(buf.toString("utf8", at, end)));
    return this.remember(buf, at, end);
  }

  /** The number of the unescaped value buf[at..end), kept as the last value met. */
  private remember(buf: Buffer, at: number, end: number): number {
    const n = this.number(buf.toString("utf8", at, end));
    this.last = Buffer.from(buf.subarray(at, end));
    this.lastNumber = n;
    return n;
  }
}
