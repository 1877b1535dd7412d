// Pacemaker's view of the nodes: `crm_node -l` for the member list and `crm_mon --output-as=xml`
// for online/unclean status. Pure parsers over the tools' text.
import type { NodeStatus } from './guards';

/** `crm_node -l` prints "<id> <name> <state>" per node (Pacemaker 2.x). */
export function parseCrmNodeList(stdout: string): string[] {
  const names: string[] = [];
  for (const line of stdout.split('\n')) {
    const words = line.trim().split(/\s+/).filter(Boolean);
    if (words.length >= 3 && /^\d+$/.test(words[0]!)) names.push(words[1]!);
    else if (words.length === 2 && !/^\d+$/.test(words[0]!)) names.push(words[0]!);
  }
  return [...new Set(names)];
}

/** The <node .../> elements of crm_mon's XML <nodes> section. */
export function parseCrmMonNodes(xml: string): NodeStatus[] {
  const section = /<nodes>([\s\S]*?)<\/nodes>/.exec(xml)?.[1] ?? '';
  const out: NodeStatus[] = [];
  for (const element of section.matchAll(/<node\s([^>]*?)\/?>/g)) {
    const attrs = Object.fromEntries([...element[1]!.matchAll(/([\w-]+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (!attrs.name) continue;
    out.push({ name: attrs.name, online: attrs.online === 'true', unclean: attrs.unclean === 'true' });
  }
  return out;
}

/** Expands a URI template: %n is the node name, %% a literal percent sign. */
export function expandNodeTemplate(template: string, node: string, extra: Record<string, string> = {}): string {
  return template.replace(/%(.)/g, (whole, letter: string) => {
    if (letter === 'n') return node;
    if (letter === '%') return '%';
    return extra[letter] ?? whole;
  });
}

/** `peers` parameter: node names separated by spaces or commas; "none" declares a single host. */
export function parsePeerList(text: string): string[] {
  const names = text.split(/[\s,]+/).filter(Boolean);
  return names.length === 1 && names[0] === 'none' ? [] : names;
}
