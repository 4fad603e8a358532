const NAMED_ENTITIES: ReadonlyMap<string, string> = new Map([
  ['amp', '&'],
  ['lt', '<'],
  ['gt', '>'],
  ['quot', '"'],
  ['apos', "'"],
  ['nbsp', ' '],
]);

/** Tags that end a line or a block: they become a space, so `<p>a</p><p>b</p>` reads `a b`. */
const BLOCK_TAG =
  /<\/?(p|div|br|hr|li|ul|ol|h[1-6]|blockquote|pre|table|tr|td|th|section|article)\b[^>]*>/gi;

/**
 * The readable text of an HTML part body (`<p>Hi <b>Jane</b>,</p>` → `Hi Jane,`): block tags become
 * spaces, inline ones vanish, and entities are decoded once, after the tags are gone, so an escaped
 * `&lt;b&gt;` stays text. Only for previews; nothing here is rendered.
 */
export function htmlToText(html: string): string {
  const withoutMarkup = html
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(BLOCK_TAG, ' ')
    .replace(/<[^>]*>/g, '');
  return withoutMarkup.replace(
    /&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-zA-Z]+);/g,
    (entity, name: string) => {
      if (name.startsWith('#')) {
        const code = name[1] === 'x' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
        return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : entity;
      }
      return NAMED_ENTITIES.get(name.toLowerCase()) ?? entity;
    },
  );
}
