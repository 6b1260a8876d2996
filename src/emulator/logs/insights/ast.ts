/**
 * The syntax tree of a Logs Insights query, as `parseQuery` (parser.ts) builds it.
 */
import type { Value } from './types.js';

/** Binary operators, loosest-binding first. */
export type BinaryOp =
  'or' | 'and' | '=' | '!=' | '<' | '<=' | '>' | '>=' | 'like' | 'not like' | '=~' | '+' | '-' | '*' | '/' | '%';

/** Where a node is in the query string. */
export interface Span {
  /** The expression as written (column name of an un-aliased stats or fields item). */
  text: string;
  start: number;
  end: number;
}

/** An expression node. */
export type Expr = Span &
  (
    | { kind: 'literal'; value: Value }
    | { kind: 'field'; name: string }
    | { kind: 'regex'; regex: RegExp }
    | { kind: 'duration'; ms: number }
    | { kind: 'star' }
    | { kind: 'unary'; op: 'not' | '-'; operand: Expr }
    | { kind: 'binary'; op: BinaryOp; left: Expr; right: Expr }
    | { kind: 'in'; operand: Expr; items: Expr[]; negated: boolean }
    | { kind: 'call'; name: string; args: Expr[] }
  );

/** An expression and the column it fills: its alias, or the field name, or the text as written. */
export interface NamedExpr {
  expr: Expr;
  name: string;
}

/** One `|`-separated command. */
export type Command = Span &
  (
    | { kind: 'fields'; items: NamedExpr[] }
    | { kind: 'display'; items: NamedExpr[] }
    | { kind: 'filter'; expr: Expr }
    | { kind: 'stats'; items: NamedExpr[]; by: NamedExpr[] }
    | { kind: 'sort'; keys: { expr: Expr; desc: boolean }[] }
    | { kind: 'limit'; count: number }
    | { kind: 'parse'; source: Expr; regex: RegExp; names: string[] }
    | { kind: 'dedup'; keys: Expr[] }
  );

/** Insights never returns more than this many rows. */
export const MAX_LIMIT = 10_000;
