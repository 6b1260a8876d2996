/**
 * Functions, versions and aliases, with Lambda's control-plane rules: asynchronous updates
 * (InProgress → Successful | Failed), conflicts while an update runs, RevisionId and CodeSha256
 * preconditions, frozen versions, and aliases that protect their versions.
 */
import { randomUUID } from 'node:crypto';
import { invalidParameter, preconditionFailed, resourceConflict, resourceNotFound } from '../http/aws-error.js';
import type { StoredCode } from './code.js';
import {
  snapshotOf,
  type AliasRecord,
  type FunctionRecord,
  type FunctionSettings,
  type VersionRecord
} from './records.js';

/** How long an update stays InProgress and whether it will fail: the fault rules decide. */
export interface ControlPlaneTiming {
  updateOutcome(functionName: string): { delayMs: number; failureReason?: string };
}

export class FunctionStore {
  private readonly functions = new Map<string, FunctionRecord>();

  constructor(
    readonly region: string,
    readonly accountId: string,
    private readonly timing: ControlPlaneTiming,
    /** Called with an environment-key prefix whenever code or configuration stops being current. */
    private readonly retire: (keyPrefix: string) => void,
    private readonly now: () => number = Date.now
  ) {}

  functionArn(name: string): string {
    return `arn:aws:lambda:${this.region}:${this.accountId}:function:${name}`;
  }

  list(): FunctionRecord[] {
    return [...this.functions.values()].map((fn) => this.settle(fn));
  }

  create(name: string, settings: FunctionSettings, code: StoredCode, tags: Record<string, string>): FunctionRecord {
    if (this.functions.has(name)) throw resourceConflict(`Function already exist: ${name}`);
    const { delayMs, failureReason } = this.timing.updateOutcome(name);
    const fn: FunctionRecord = {
      name,
      arn: this.functionArn(name),
      latest: {
        ...this.newRecord('$LATEST', settings, code),
        state: 'Pending',
        settlesAt: this.now() + delayMs,
        ...(failureReason ? { failureReason } : {})
      },
      versions: new Map(),
      lastVersion: 0,
      aliases: new Map(),
      tags: { ...tags }
    };
    this.functions.set(name, fn);
    return fn;
  }

  /** The function, with any finished update applied. */
  get(name: string): FunctionRecord {
    const fn = this.functions.get(name);
    if (!fn) throw resourceNotFound(`Function not found: ${this.functionArn(name)}`);
    return this.settle(fn);
  }

  /** `$LATEST`, a version number or an alias name → the version record it means. */
  resolve(fn: FunctionRecord, qualifier: string | undefined): VersionRecord {
    if (qualifier === undefined || qualifier === '$LATEST') return fn.latest;
    const alias = fn.aliases.get(qualifier);
    const version = fn.versions.get(alias ? alias.functionVersion : qualifier);
    if (alias?.functionVersion === '$LATEST') return fn.latest;
    if (!version) throw resourceNotFound(`Function not found: ${fn.arn}:${qualifier}`);
    return version;
  }

  updateConfiguration(name: string, change: Partial<FunctionSettings>, revisionId: string | undefined): FunctionRecord {
    const fn = this.get(name);
    this.assertUpdatable(fn, revisionId);
    const settings = { ...fn.latest.settings, ...change };
    this.replaceLatest(fn, settings, fn.latest.code);
    return fn;
  }

  updateCode(
    name: string,
    code: StoredCode,
    architecture: 'x86_64' | 'arm64' | undefined,
    revisionId: string | undefined
  ): FunctionRecord {
    const fn = this.get(name);
    this.assertUpdatable(fn, revisionId);
    const settings = architecture ? { ...fn.latest.settings, architecture } : fn.latest.settings;
    this.replaceLatest(fn, settings, code);
    return fn;
  }

  /**
   * Freezes `$LATEST` into a new version, or returns the newest version when nothing changed
   * since it was published (as Lambda does).
   */
  publish(name: string, options: { codeSha256?: string; revisionId?: string; description?: string }): VersionRecord {
    const fn = this.get(name);
    this.assertUpdatable(fn, options.revisionId);
    if (options.codeSha256 !== undefined && options.codeSha256 !== fn.latest.code.sha256) {
      throw invalidParameter(
        `CodeSHA256 (${options.codeSha256}) is different from current CodeSHA256 in $LATEST (${fn.latest.code.sha256}). Please try again with the current CodeSHA256.`
      );
    }
    const newest = fn.versions.get(String(fn.lastVersion));
    if (newest && newest.snapshot === fn.latest.snapshot) return newest;
    fn.lastVersion += 1;
    const version = String(fn.lastVersion);
    const settings = { ...fn.latest.settings, description: options.description ?? fn.latest.settings.description };
    const { delayMs } = this.timing.updateOutcome(name);
    const record: VersionRecord = {
      ...this.newRecord(version, settings, fn.latest.code),
      snapshot: fn.latest.snapshot,
      state: 'Pending',
      settlesAt: this.now() + delayMs
    };
    fn.versions.set(version, record);
    return record;
  }

  /** Deletes one version, or the whole function when no qualifier is given. */
  delete(name: string, qualifier: string | undefined): void {
    const fn = this.get(name);
    if (qualifier === undefined) {
      this.functions.delete(name);
      this.retire(`${fn.arn}:`);
      return;
    }
    if (qualifier === '$LATEST') {
      throw invalidParameter('$LATEST version cannot be deleted without deleting the function.');
    }
    if (fn.aliases.has(qualifier))
      throw invalidParameter('Deletion of aliases is not supported through DeleteFunction. Use DeleteAlias.');
    if (!fn.versions.has(qualifier)) throw resourceNotFound(`Function not found: ${fn.arn}:${qualifier}`);
    const referencing = [...fn.aliases.values()]
      .filter((alias) => alias.functionVersion === qualifier || qualifier in alias.weights)
      .map((alias) => `${fn.arn}:${alias.name}`);
    if (referencing.length > 0) {
      throw resourceConflict(
        `Unable to delete version because the following aliases reference it: [${referencing.join(', ')}]`
      );
    }
    fn.versions.delete(qualifier);
    this.retire(`${fn.arn}:${qualifier}:`);
  }

  putAlias(
    name: string,
    aliasName: string,
    change: Partial<Omit<AliasRecord, 'name' | 'revisionId'>>,
    mode: 'create' | 'update',
    revisionId?: string
  ): AliasRecord {
    const fn = this.get(name);
    const existing = fn.aliases.get(aliasName);
    if (mode === 'create' && existing) throw resourceConflict(`Alias already exists: ${fn.arn}:${aliasName}`);
    if (mode === 'update' && !existing) throw resourceNotFound(`Alias not found: ${fn.arn}:${aliasName}`);
    if (existing && revisionId !== undefined && revisionId !== existing.revisionId) {
      throw preconditionFailed(
        'The Revision Id provided does not match the latest Revision Id. Call the GetAlias API to retrieve the latest Revision Id'
      );
    }
    const alias: AliasRecord = {
      name: aliasName,
      functionVersion: change.functionVersion ?? existing?.functionVersion ?? '$LATEST',
      description: change.description ?? existing?.description ?? '',
      weights: change.weights ?? existing?.weights ?? {},
      revisionId: randomUUID()
    };
    for (const version of [alias.functionVersion, ...Object.keys(alias.weights)]) {
      if (version !== '$LATEST' && !fn.versions.has(version)) {
        throw resourceNotFound(`Function not found: ${fn.arn}:${version}`);
      }
    }
    fn.aliases.set(aliasName, alias);
    return alias;
  }

  getAlias(name: string, aliasName: string): AliasRecord {
    const fn = this.get(name);
    const alias = fn.aliases.get(aliasName);
    if (!alias) throw resourceNotFound(`Alias not found: ${fn.arn}:${aliasName}`);
    return alias;
  }

  deleteAlias(name: string, aliasName: string): void {
    // Deleting a missing alias succeeds on Lambda too.
    this.get(name).aliases.delete(aliasName);
  }

  /** Looks a function up by its unqualified ARN, as the tagging API addresses it. */
  byArn(arn: string): FunctionRecord {
    const match = /^arn:aws[a-zA-Z-]*:lambda:[^:]+:\d{12}:function:([^:]+)$/.exec(arn);
    if (!match?.[1])
      throw invalidParameter(`Invalid ARN: ${arn}. Tags can be set on an unqualified function ARN only.`);
    return this.get(match[1]);
  }

  private assertUpdatable(fn: FunctionRecord, revisionId: string | undefined): void {
    if (fn.latest.state === 'Pending') {
      throw resourceConflict(
        `The operation cannot be performed at this time. The function is currently in the following state: Pending`
      );
    }
    if (fn.latest.lastUpdateStatus === 'InProgress') {
      throw resourceConflict(
        `The operation cannot be performed at this time. An update is in progress for resource: ${fn.arn}`
      );
    }
    if (revisionId !== undefined && revisionId !== fn.latest.revisionId) {
      throw preconditionFailed(
        'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id'
      );
    }
  }

  private replaceLatest(fn: FunctionRecord, settings: FunctionSettings, code: StoredCode): void {
    const { delayMs, failureReason } = this.timing.updateOutcome(fn.name);
    fn.latest = {
      ...this.newRecord('$LATEST', settings, code),
      lastUpdateStatus: 'InProgress',
      settlesAt: this.now() + delayMs,
      ...(failureReason ? { failureReason } : {})
    };
    this.retire(`${fn.arn}:$LATEST:`);
  }

  private newRecord(version: string, settings: FunctionSettings, code: StoredCode): VersionRecord {
    return {
      version,
      settings,
      code,
      revisionId: randomUUID(),
      lastModified: new Date(this.now()),
      state: 'Active',
      settlesAt: 0,
      lastUpdateStatus: 'Successful',
      snapshot: snapshotOf(settings, code)
    };
  }

  /** Applies transitions whose time has come; cheaper and more exact than timers. */
  private settle(fn: FunctionRecord): FunctionRecord {
    const now = this.now();
    for (const record of [fn.latest, ...fn.versions.values()]) {
      if (record.settlesAt > now) continue;
      if (record.state === 'Pending') record.state = record.failureReason ? 'Failed' : 'Active';
      if (record.lastUpdateStatus === 'InProgress') {
        record.lastUpdateStatus = record.failureReason ? 'Failed' : 'Successful';
      }
    }
    return fn;
  }
}
