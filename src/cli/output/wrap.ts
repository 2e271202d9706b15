/** Keeping wide human output inside the terminal: long values elided, lists of items wrapped. */

/** `text` cut to at most `max` characters, the cut marked with "…" (full values are in --json). */
export function elide(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(1, max - 1))}…`
}

/**
 * Items joined by `separator` into lines of at most `width` characters, the first line after
 * `lead`, the rest indented as far; an item longer than a line gets a line of its own.
 */
export function wrapItems(items: string[], width: number, lead: string, separator = '  '): string[] {
  const indent = ' '.repeat(lead.length)
  const lines: string[] = []
  let line = lead
  let empty = true
  for (const item of items) {
    if (!empty && line.length + separator.length + item.length > width) {
      lines.push(line)
      line = indent + item
    } else {
      line += (empty ? '' : separator) + item
    }

    empty = false
  }

  lines.push(line)
  return lines
}
