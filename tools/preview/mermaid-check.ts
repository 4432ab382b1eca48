/**
 * A grammar check of the Mermaid flowchart subset the preview writes, so a diagram that GitHub
 * would fail to render fails a test instead. The `mermaid` package's own parser cannot be used
 * here: mermaid 12.3.0 needs Node >= 22.12 (this project supports 20) and its flowchart parser
 * calls DOMPurify, which needs a browser window (`DOMPurify.addHook is not a function` under
 * plain Node; tried 2026-12-05). The rules below follow mermaid's flowchart grammar
 * (packages/mermaid/src/diagrams/flowchart/parser/flow.jison) for the constructs used:
 *
 *   flowchart LR|RL|TB|TD|BT
 *   subgraph <id>["label"] ... end        (balanced, ids unique)
 *   <id>["label"]  <id>(("label"))  <id>[("label")]  <id>(["label"])
 *   <id> --> <id>   <id> -->|"label"| <id>   <id> -.->|"label"| <id>   <id> ==> <id>
 *   %% comment
 *
 * Ids are letters, digits and underscores, start with a letter, and are not a keyword (`end`
 * breaks a flowchart); labels are quoted and hold no raw `"` (Mermaid's `#quot;` instead).
 * Every edge joins declared nodes, and a node is declared once.
 */

const ID = "[A-Za-z][A-Za-z0-9_]*";
const QUOTED = '"[^"]*"';
const SHAPES = [
  `\\[${QUOTED}\\]`,
  `\\(\\(${QUOTED}\\)\\)`,
  `\\[\\(${QUOTED}\\)\\]`,
  `\\(\\[${QUOTED}\\]\\)`,
];
const NODE = new RegExp(`^(${ID})(?:${SHAPES.join("|")})$`);
const EDGE = new RegExp(`^(${ID})\\s+(-->|-\\.->|==>)(?:\\|${QUOTED}\\|)?\\s+(${ID})$`);
const SUBGRAPH = new RegExp(`^subgraph\\s+(${ID})(?:\\[${QUOTED}\\])?$`);
const HEADER = /^flowchart\s+(LR|RL|TB|TD|BT)$/;
const KEYWORDS = new Set([
  "end",
  "subgraph",
  "graph",
  "flowchart",
  "class",
  "classDef",
  "click",
  "style",
  "linkStyle",
  "call",
  "href",
  "default",
  "direction",
]);

/** Problems with the flowchart, one per line at fault; empty when it parses. */
export function checkFlowchart(text: string): string[] {
  const problems: string[] = [];
  const lines = text.split("\n");
  const declared = new Set<string>();
  const subgraphs = new Set<string>();
  const edges: { line: number; ids: string[] }[] = [];
  let depth = 0;
  let sawHeader = false;
  const idProblem = (id: string, n: number) => {
    if (KEYWORDS.has(id)) problems.push(`line ${n}: id ${id} is a Mermaid keyword`);
  };
  for (const [index, raw] of lines.entries()) {
    const n = index + 1;
    const line = raw.trim();
    if (line === "" || line.startsWith("%%")) continue;
    if (!sawHeader) {
      if (!HEADER.test(line)) problems.push(`line ${n}: expected "flowchart <direction>"`);
      sawHeader = true;
      continue;
    }
    if (line === "end") {
      if (depth === 0) problems.push(`line ${n}: "end" without a subgraph`);
      depth = Math.max(0, depth - 1);
      continue;
    }
    const subgraph = SUBGRAPH.exec(line);
    if (subgraph) {
      const id = subgraph[1];
      idProblem(id, n);
      if (subgraphs.has(id) || declared.has(id)) problems.push(`line ${n}: id ${id} used twice`);
      subgraphs.add(id);
      depth++;
      continue;
    }
    const node = NODE.exec(line);
    if (node) {
      const id = node[1];
      idProblem(id, n);
      if (declared.has(id) || subgraphs.has(id)) problems.push(`line ${n}: id ${id} used twice`);
      declared.add(id);
      continue;
    }
    const edge = EDGE.exec(line);
    if (edge) {
      for (const id of [edge[1], edge[3]]) idProblem(id, n);
      edges.push({ line: n, ids: [edge[1], edge[3]] });
      continue;
    }
    problems.push(`line ${n}: not a node, edge or subgraph: ${line}`);
  }
  if (!sawHeader) problems.push("empty diagram");
  if (depth > 0) problems.push(`${depth} subgraph(s) not closed with "end"`);
  for (const e of edges) {
    for (const id of e.ids) {
      if (!declared.has(id)) problems.push(`line ${e.line}: edge to undeclared node ${id}`);
    }
  }
  return problems;
}
