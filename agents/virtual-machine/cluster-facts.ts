// Pacemaker's view of the nodes: `crm_node -l` for the member list and `crm_mon --output-as=xml`
// for online/unclean status. Pure parsers over the tools' text.
import { childrenNamed, descendantsNamed, parseXml } from '../core/xml';
import type { NodeStatus } from './guards';

/**
 * `crm_node -l` prints "<id> <name> <state>" per node (Pacemaker 2.x: "1 node1 member"); older
 * stacks printed "<name> <state>". Every other line, and a list without any node, is an error:
 * a list read wrongly would mean nobody is asked, which looks exactly like "nobody runs it".
 */
export function parseCrmNodeList(stdout: string): string[] {
  const names: string[] = [];
  for (const line of stdout.split('\n')) {
    const words = line.trim().split(/\s+/).filter(Boolean);
    if (!words.length) continue;
    if (words.length === 3 && /^\d+$/.test(words[0]!) && !/^\d+$/.test(words[1]!)) names.push(words[1]!);
    else if (words.length === 2 && !/^\d+$/.test(words[0]!)) names.push(words[0]!);
    else throw new Error(`a line it cannot read: "${line.trim().slice(0, 60)}"`);
  }
  if (!names.length) throw new Error('no node listed');
  return [...new Set(names)];
}

/**
 * The <node .../> elements of crm_mon's XML <nodes> section. online/unclean stay undefined unless
 * the attribute says "true" or "false": only both, read as false, prove a node offline and clean.
 */
export function parseCrmMonNodes(xml: string): NodeStatus[] {
  const section = descendantsNamed(parseXml(xml, 'crm_mon XML'), 'nodes')[0];
  const out: NodeStatus[] = [];
  const flag = (text: string | undefined) => (text === 'true' ? true : text === 'false' ? false : undefined);
  for (const { attributes: attrs } of section ? childrenNamed(section, 'node') : []) {
    if (!attrs.name) continue;
    // a pending node is joining: what it runs is not known yet
    out.push({ name: attrs.name, online: flag(attrs.online), unclean: flag(attrs.unclean), ...(attrs.pending === 'true' ? { pending: true } : {}) });
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

/**
 * `peers` parameter: node names separated by spaces or commas; "none" declares a single host.
 * A value that names nobody (" ", ",") is an error, not an empty list: nobody would be asked.
 */
export function parsePeerList(text: string): string[] {
  const names = text.split(/[\s,]+/).filter(Boolean);
  if (!names.length) throw new Error(`peers="${text}" names no node; list the other nodes, or set peers=none for a single host`);
  if (names.includes('none')) {
    if (names.length > 1) throw new Error(`peers="${text}" mixes "none" with node names`);
    return [];
  }
  return names;
}

/** A peer URI template must name the peer (%n): without it every peer's question goes to one host. */
export function templateNamesNode(template: string): boolean {
  return expandNodeTemplate(template, 'a') !== expandNodeTemplate(template, 'b');
}
