// The tree walk both scripts of this spike run (spike 21's, in process): WALK requests, each of K
// branches from a state picked among those made so far (a fixed seed: every run walks the same
// tree), each branch changing a little of its parent. Yields one branch at a time; the branch's
// state joins the tree when the caller asks for the next one.
export function* treeWalk(walk, K) {
  const nodes = ["root"];
  let seed = 12_345;
  let n = 0;
  for (let i = 0; i < walk; i++) {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    const parent = nodes[seed % nodes.length];
    for (let k = 0; k < K; k++) {
      const id = `n${n++}`;
      const at = i * K + k;
      yield { id, parent, code: `path = globals().get("path", []) + [${k}]\nbig[${at}] = -1\nprint(len(path), sum(path), big[${at}])` };
      nodes.push(id);
    }
  }
}
