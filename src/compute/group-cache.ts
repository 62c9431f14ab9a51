/**
 * Results of the protection pass's groups kept from run to run (`<project>/.spm/cache/masks/groups/`),
 * so that a planner who edits one indicator waits for the groups its cells touch, not for every
 * group of the Kennzahlenset (mask-cache.ts keeps the whole pass's result, which any change of a
 * cell, bound or relation invalidates).
 *
 * A group's result (its masks, the counts the audit refused, its low point) is a function of its job
 * alone: the cells with their bounds and flags, the relations, the threshold, the second hierarchies
 * and whether a low point is asked for (`groupKey` in src/privacy/db.ts, the same content the pass's
 * memo within one run relies on), and of the protection code. An entry's name is a SHA-256 over the
 * job's key and the code's (every file of src/privacy, HiGHS's and spm's versions, this file's
 * format, SPM_PRIVACY_BLOCKS), so another version of spm never reads it. Only the first pass of a run
 * uses the store (see `SuppressionOptions.stored`): a later pass starts its groups from the
 * complements of the pass before, and what it gives is not the job's alone.
 *
 * Each entry carries the SHA-256 of its arrays: a partial write or a damaged file is not used (the
 * group is solved again). The groups solved are written when the run's outputs are (`commit`, with
 * the whole pass's entry of mask-cache.ts): a run that writes nothing stores nothing. Writes go
 * through a private name and a rename; then the entries this run neither read nor wrote are removed
 * beyond `KEEP_RUNS` times the groups of this run, the ones used longest ago first.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createHash, randomUUID } from 'node:crypto';
import type { AuditSummary, GroupMemo, GroupStore } from '../privacy/db.js';
import { privacyCodeHash } from './mask-cache.js';
import { pruneCache } from '../util/cache-prune.js';

/** Bumped when the stored form changes. */
const FORMAT = 1;

/** Entries of other runs kept: this many times the groups of the run (the newest by use). */
const KEEP_RUNS = 8;

const SUFFIX = '.grp';

interface Header {
  format: number;
  /** Cells of the group (`reason.length`), counts it refused, whether a low point is stored. */
  cells: number;
  refused: number;
  low: boolean;
  unresolved: number;
  audit: AuditSummary;
  /** SHA-256 of the arrays after the header. */
  sha256: string;
}

/** The store of one project's folder for the protection code in use; see the header. */
export class GroupCache implements GroupStore {
  private readonly namespace: string;
  /** Entry files this run read or wrote (kept by the pruning in `commit`). */
  private readonly used = new Set<string>();
  /** Results solved in this run, written by `commit`. */
  private readonly pending = new Map<string, GroupMemo>();
  /** Groups whose result came from the store. */
  hits = 0;

  constructor(private readonly dir: string) {
    this.namespace = `spm-groups ${FORMAT}\u0000${privacyCodeHash()}\u0000blocks ${process.env.SPM_PRIVACY_BLOCKS ?? ''}\u0000`;
  }

  private file(key: string): string {
    const name = createHash('sha256').update(this.namespace).update(key).digest('hex');
    return path.join(this.dir, name + SUFFIX);
  }

  get(key: string): GroupMemo | undefined {
    const file = this.file(key);
    let buf: Buffer;
    try {
      buf = fs.readFileSync(file);
    } catch {
      return undefined;
    }
    const m = readEntry(buf);
    if (!m) return undefined;
    this.used.add(path.basename(file));
    this.hits++;
    try {
      // used now: pruning keeps the entries used last
      const now = new Date();
      fs.utimesSync(file, now, now);
    } catch {
      // a read-only cache still serves
    }
    return m;
  }

  set(key: string, m: GroupMemo): void {
    this.pending.set(key, m);
  }

  /** Groups solved in this run (written by `commit`). */
  get solved(): number {
    return this.pending.size;
  }

  /**
   * Writes the results solved in this run, then prunes (see the header). A cache that cannot be
   * written (read-only project folder, full disk) only costs time next run.
   */
  commit(): void {
    // the groups of the run's first pass: each came from the store or was solved
    const groups = this.hits + this.pending.size;
    for (const [key, m] of this.pending) {
      const file = this.file(key);
      const tmp = `${file}.tmp-${process.pid}-${randomUUID()}`;
      try {
        fs.mkdirSync(this.dir, { recursive: true });
        fs.writeFileSync(tmp, writeEntry(m));
        fs.renameSync(tmp, file);
        this.used.add(path.basename(file));
      } catch {
        fs.rmSync(tmp, { force: true });
        return;
      }
    }
    this.pending.clear();
    // this run's entries were written or read (and so touched) just now: the newest, kept with the
    // KEEP_RUNS times as many of other runs that were used last
    try {
      pruneCache(this.dir, SUFFIX, this.used.size + KEEP_RUNS * Math.max(groups, 1));
    } catch {
      // an entry removed by a concurrent run, a folder without rights: left as it is
    }
  }
}

const MAGIC = Buffer.from('SPMGRP\n');

/** Magic, header length (uint32 LE), header JSON, then reason (int8), refused (int32 LE), low (float64 LE). */
function writeEntry(m: GroupMemo): Buffer {
  const body = Buffer.concat([
    Buffer.from(m.reason.buffer, m.reason.byteOffset, m.reason.byteLength),
    int32Bytes(m.refused),
    m.low ? float64Bytes(m.low) : Buffer.alloc(0),
  ]);
  const header: Header = {
    format: FORMAT,
    cells: m.reason.length,
    refused: m.refused.length,
    low: m.low !== undefined,
    unresolved: m.unresolved,
    audit: m.audit,
    sha256: createHash('sha256').update(body).digest('hex'),
  };
  const json = Buffer.from(JSON.stringify(header));
  const len = Buffer.alloc(4);
  len.writeUInt32LE(json.length);
  return Buffer.concat([MAGIC, len, json, body]);
}

/** The entry's result, or undefined when it is not one whole entry of this format. */
export function readEntry(buf: Buffer): GroupMemo | undefined {
  try {
    if (buf.length < MAGIC.length + 4 || !buf.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
    const len = buf.readUInt32LE(MAGIC.length);
    const start = MAGIC.length + 4 + len;
    if (start > buf.length) return undefined;
    const h = JSON.parse(buf.subarray(MAGIC.length + 4, start).toString('utf8')) as Header;
    if (h.format !== FORMAT) return undefined;
    const body = buf.subarray(start);
    const size = h.cells + 4 * h.refused + (h.low ? 8 * h.cells : 0);
    if (body.length !== size || createHash('sha256').update(body).digest('hex') !== h.sha256) return undefined;
    const reason = new Int8Array(h.cells);
    reason.set(new Int8Array(body.buffer, body.byteOffset, h.cells));
    const refused = new Int32Array(h.refused);
    for (let i = 0; i < h.refused; i++) refused[i] = body.readInt32LE(h.cells + 4 * i);
    const m: GroupMemo = { reason, refused, unresolved: h.unresolved, audit: h.audit };
    if (h.low) {
      const low = new Float64Array(h.cells);
      const at = h.cells + 4 * h.refused;
      for (let i = 0; i < h.cells; i++) low[i] = body.readDoubleLE(at + 8 * i);
      m.low = low;
    }
    return m;
  } catch {
    return undefined;
  }
}

function int32Bytes(a: Int32Array): Buffer {
  const b = Buffer.alloc(4 * a.length);
  for (let i = 0; i < a.length; i++) b.writeInt32LE(a[i]!, 4 * i);
  return b;
}

function float64Bytes(a: Float64Array): Buffer {
  const b = Buffer.alloc(8 * a.length);
  for (let i = 0; i < a.length; i++) b.writeDoubleLE(a[i]!, 8 * i);
  return b;
}
