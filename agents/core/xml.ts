// The one XML reader: drbdadm's dump-xml, libvirt domain XML, crm_mon's XML. Elements,
// attributes, text, comments, CDATA, the five predefined entities and numeric references; no DTDs
// or namespace processing (a prefixed name stays as written). Errors name the line. Written here
// rather than taken from a library: it is small, and it sits on every agent's monitor path, where
// loading a general parser would cost each process its start-up time.

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
  line: number;
}

export class XmlSyntaxError extends Error {}

export function parseXml(source: string, what = 'XML'): XmlElement {
  const root: XmlElement = { name: '#document', attributes: {}, children: [], text: '', line: 1 };
  const stack: XmlElement[] = [root];
  let i = 0;
  // line numbers are counted incrementally, only as far as the parser has come
  let counted = 0;
  let countedLine = 1;
  const lineAt = (pos: number) => {
    for (; counted < pos; counted++) if (source.charCodeAt(counted) === 10) countedLine++;
    return countedLine;
  };
  const advance = (to: number) => {
    i = to;
  };

  while (i < source.length) {
    const lt = source.indexOf('<', i);
    if (lt < 0) {
      stack[stack.length - 1]!.text += unescapeXml(source.slice(i));
      break;
    }
    if (lt > i) stack[stack.length - 1]!.text += unescapeXml(source.slice(i, lt));
    advance(lt);
    if (source.startsWith('<!--', i)) {
      const end = source.indexOf('-->', i);
      if (end < 0) throw new XmlSyntaxError(`${what}:${lineAt(i)}: unterminated comment`);
      advance(end + 3);
      continue;
    }
    if (source.startsWith('<![CDATA[', i)) {
      const end = source.indexOf(']]>', i);
      if (end < 0) throw new XmlSyntaxError(`${what}:${lineAt(i)}: unterminated CDATA section`);
      stack[stack.length - 1]!.text += source.slice(i + 9, end);
      advance(end + 3);
      continue;
    }
    if (source.startsWith('<?', i) || source.startsWith('<!', i)) {
      const end = source.indexOf('>', i);
      if (end < 0) throw new XmlSyntaxError(`${what}:${lineAt(i)}: unterminated declaration`);
      advance(end + 1);
      continue;
    }
    const end = source.indexOf('>', i);
    if (end < 0) throw new XmlSyntaxError(`${what}:${lineAt(i)}: unterminated tag`);
    const body = source.slice(i + 1, end);
    const tagLine = lineAt(i);
    advance(end + 1);
    if (body.startsWith('/')) {
      const name = body.slice(1).trim();
      const open = stack.pop();
      if (!open || open === root || open.name !== name) throw new XmlSyntaxError(`${what}:${tagLine}: </${name}> does not close <${open?.name}>`);
      continue;
    }
    const selfClosing = body.endsWith('/');
    const m = /^([A-Za-z_][\w.:-]*)([\s\S]*?)\/?$/.exec(body);
    if (!m) throw new XmlSyntaxError(`${what}:${tagLine}: malformed tag <${body.slice(0, 40)}>`);
    const element: XmlElement = { name: m[1]!, attributes: {}, children: [], text: '', line: tagLine };
    const attr = /([A-Za-z_][\w.:-]*)\s*=\s*("([^"]*)"|'([^']*)')/g;
    let a: RegExpExecArray | null;
    while ((a = attr.exec(m[2]!))) element.attributes[a[1]!] = unescapeXml(a[3] ?? a[4] ?? '');
    stack[stack.length - 1]!.children.push(element);
    if (!selfClosing) stack.push(element);
  }
  if (stack.length > 1) throw new XmlSyntaxError(`${what}: <${stack[stack.length - 1]!.name}> (line ${stack[stack.length - 1]!.line}) is never closed`);
  return root;
}

function unescapeXml(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (_, e: string) => {
    switch (e) {
      case 'lt':
        return '<';
      case 'gt':
        return '>';
      case 'amp':
        return '&';
      case 'quot':
        return '"';
      case 'apos':
        return "'";
      default:
        return String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    }
  });
}

export function childrenNamed(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((c) => c.name === name);
}

export function firstChild(element: XmlElement, name: string): XmlElement | undefined {
  return element.children.find((c) => c.name === name);
}

/** Every element below `element` (not itself) named `name`, in document order. */
export function descendantsNamed(element: XmlElement, name: string): XmlElement[] {
  const out: XmlElement[] = [];
  for (const child of element.children) {
    if (child.name === name) out.push(child);
    out.push(...descendantsNamed(child, name));
  }
  return out;
}
