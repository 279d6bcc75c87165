// XML helpers for EC2's answers: targeted string handling (this is a test peer), enough for the elements the peer
// reads or rewrites.

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

function unescapeXml(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, '\'').replace(/&amp;/g, '&');
}

/** Text of the first <tag>text</tag> in xml. */
export function tagText(xml: string, tag: string): string | undefined {
  const match = new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml);
  return match === null ? undefined : unescapeXml(match[1]);
}

/**
 * Replaces the first <tag>...</tag> (or <tag/>) in an item, or appends the element before the
 * item's closing tag. Used on image items, where description, imdsSupport and productCodes only
 * occur at the item's top level.
 */
export function replaceOrAppend(item: string, tag: string, element: string): string {
  const existing = new RegExp(`<${tag}/>|<${tag}>[\\s\\S]*?</${tag}>`);
  if (existing.test(item)) {
    return item.replace(existing, () => element);
  }
  const close = item.lastIndexOf('</item>');
  return item.slice(0, close) + element + item.slice(close);
}

/** Applies fn to each top-level <item> of <setTag> (nested items such as block devices are skipped). */
export function mapTopLevelItems(xml: string, setTag: string, fn: (item: string) => string): string {
  const open = `<${setTag}>`;
  const start = xml.indexOf(open);
  const end = xml.lastIndexOf(`</${setTag}>`);
  if (start < 0 || end < start) {
    return xml;
  }
  const contentStart = start + open.length;
  const content = xml.slice(contentStart, end);
  let out = '';
  let copied = 0;
  let depth = 0;
  let itemStart = 0;
  for (const match of content.matchAll(/<item>|<\/item>/g)) {
    const index = match.index ?? 0;
    if (match[0] === '<item>') {
      if (depth === 0) {
        itemStart = index;
      }
      depth++;
    } else if (--depth === 0) {
      const itemEnd = index + match[0].length;
      out += content.slice(copied, itemStart) + fn(content.slice(itemStart, itemEnd));
      copied = itemEnd;
    }
  }
  return xml.slice(0, contentStart) + out + content.slice(copied) + xml.slice(end);
}

/** The text of <tag> in each top-level item of <setTag>. */
export function topLevelItemTexts(xml: string, setTag: string, tag: string): string[] {
  const texts: string[] = [];
  mapTopLevelItems(xml, setTag, (item) => {
    const text = tagText(item, tag);
    if (text !== undefined) {
      texts.push(text);
    }
    return item;
  });
  return texts;
}
