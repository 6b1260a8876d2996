/**
 * Safe GitHub-flavoured markdown: escaping of text we did not write, and the few block helpers the pull-request
 * comment and the job summary are built from. Pure.
 *
 * Function names, error messages, warnings, labels, qualifiers and paths come from users, their functions or
 * the AWS and GitHub APIs. Rendered raw they could inject markdown or HTML, notify people (@org/team), link
 * issues (#12) or smuggle links and images into a comment the action posts with its own token. The escape is
 * layered so that no single missed rule lets anything through:
 * - control and bidirectional-override characters are dropped (they can make a name read as another);
 * - `& < >` become HTML entities, so no tag, comment or autolink `<…>` can open, and `$` becomes an entity,
 *   so GitHub's math extension finds no delimiter;
 * - markdown punctuation is backslash-escaped (CommonMark allows it before any ASCII punctuation), and a
 *   leading list, heading or quote marker is escaped too;
 * - a zero-width space (U+200B) after `@`, between `#` or `GH-` and a digit, inside `://` and after `www`
 *   breaks mentions, issue references and bare-URL autolinks while the text still reads the same;
 * - line breaks never reach the output, so a value cannot start a block of its own.
 */

const ZWSP = '\u200B';

/** C0/C1 controls (except tab and line breaks, handled below), directional marks and overrides. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const INVISIBLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;
const LINE_BREAKS = /\r\n|[\r\n\u2028\u2029\u0085]/g;
/** ASCII punctuation that means something inline to CommonMark, GFM or GitHub (`~` strikethrough, `^` footnote). */
const PUNCTUATION = /[\\`*_{}[\]()#|~^!]/g;

function neutralise(text: string, lineBreak: string): string {
  let out = text.replace(INVISIBLE, '').replace(/\t/g, ' ').replace(LINE_BREAKS, '\n');
  out = out.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  out = out.replace(PUNCTUATION, (c) => `\\${c}`);
  // After a line break we only ever emit `<br>` or a space, so only the very start can open a block.
  out = out.replace(/^(\s*)([-+=])/, '$1\\$2').replace(/^(\s*\d+)([.)])/, '$1\\$2');
  out = out
    .replace(/@/g, `@${ZWSP}`)
    .replace(/#(?=\d)/g, `#${ZWSP}`)
    .replace(/\b(GH)-(?=\d)/gi, `$1-${ZWSP}`)
    .replace(/:\/\//g, `:${ZWSP}//`)
    .replace(/\b(www)\./gi, `$1${ZWSP}.`);
  // Last, so that the `#` of the entity is neither backslash-escaped nor split from its digits.
  return out.replace(/\$/g, '&#36;').replace(/\n/g, lineBreak);
}

/**
 * Escapes text for use in a paragraph or list item: it renders as the same characters, never as markup, a
 * mention, an issue reference or a link. Line breaks become `<br>`.
 *
 * @example
 * ```ts
 * escapeMarkdown('see [x](https://evil) @org/team #1 <img src=x>')
 * // 'see \[x\]\(https:\u200B//evil\) @\u200Borg/team \#\u200B1 &lt;img src=x&gt;'
 * ```
 */
export function escapeMarkdown(text: string): string {
  return neutralise(text, '<br>');
}

/**
 * Escapes text for one cell of a GFM table: as {@link escapeMarkdown}, and `|` cannot end the cell nor a line
 * break end the row (breaks become spaces).
 *
 * @example
 * ```ts
 * escapeTableCell('a | b\nc') // 'a \\| b c'
 * ```
 */
export function escapeTableCell(text: string): string {
  return neutralise(text, ' ');
}

/**
 * Text as an inline code span: shown verbatim, with no mention, link or markup. The fence is one backtick
 * longer than the longest run inside, so the text cannot close it. In a table cell `|` must still be escaped,
 * because GFM splits the row before it parses code spans.
 *
 * @example
 * ```ts
 * inlineCode('my-fn')              // '`my-fn`'
 * inlineCode('a`b')                // '``a`b``'
 * inlineCode('a|b', { table: true }) // '`a\\|b`'
 * ```
 */
export function inlineCode(text: string, options: { table?: boolean } = {}): string {
  let body = text.replace(INVISIBLE, '').replace(LINE_BREAKS, ' ').replace(/\t/g, ' ');
  if (body.trim() === '') return '(empty)';
  if (options.table) body = body.replace(/\|/g, '\\|');
  const longest = Math.max(0, ...(body.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  // A span that starts or ends with a backtick needs a space between it and the fence (stripped on render).
  const pad = body.startsWith('`') || body.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${body}${pad}${fence}`;
}

/**
 * A URL fit for a markdown link target, or undefined when it is not http(s). Characters that could end the
 * target or open HTML are percent-encoded.
 *
 * @example
 * ```ts
 * safeUrl('https://github.com/o/r/actions/runs/1') // unchanged
 * safeUrl('javascript:alert(1)')                  // undefined
 * ```
 */
export function safeUrl(url: string | undefined): string | undefined {
  if (url === undefined || !/^https?:\/\/[^\s]+$/i.test(url)) return undefined;
  return url.replace(/[()<>"'`\\[\]]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/**
 * `[text](url)` when the URL is safe, else the text alone. `text` must already be escaped.
 *
 * @example
 * ```ts
 * link('run 42', 'https://github.com/o/r/actions/runs/42') // '[run 42](https://github.com/o/r/actions/runs/42)'
 * ```
 */
export function link(text: string, url: string | undefined): string {
  const target = safeUrl(url);
  return target === undefined ? text : `[${text}](${target})`;
}

/** Column alignment of {@link table}. */
export type Align = 'left' | 'right' | 'center';

/**
 * A GFM table as lines. Cells must already be escaped ({@link escapeTableCell}); rows shorter than the
 * header are padded with empty cells.
 *
 * @example
 * ```ts
 * table(['Memory', 'p99'], [['128 MB', '412 ms']], ['right', 'right'])
 * // ['| Memory | p99 |', '| ---: | ---: |', '| 128 MB | 412 ms |']
 * ```
 */
export function table(header: string[], rows: string[][], align: Align[] = []): string[] {
  const rule = header.map((_, i) => {
    const a = align[i] ?? 'left';
    return a === 'right' ? '---:' : a === 'center' ? ':---:' : '---';
  });
  const line = (cells: string[]): string => `| ${header.map((_, i) => cells[i] ?? '').join(' | ')} |`;
  return [line(header), `| ${rule.join(' | ')} |`, ...rows.map(line)];
}

/**
 * A collapsed `<details>` block. `summary` and `body` must already be escaped; the blank lines let GitHub
 * parse markdown inside the HTML block.
 *
 * @example
 * ```ts
 * details('Checks', ['- ✅ p99 within budget']).join('\n')
 * // '<details><summary>Checks</summary>\n\n- ✅ p99 within budget\n\n</details>'
 * ```
 */
export function details(summary: string, body: string[]): string[] {
  return [`<details><summary>${summary}</summary>`, '', ...body, '', '</details>'];
}
