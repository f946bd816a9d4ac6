(() => {
  "use strict";
  const table = document.getElementById("findings-table");
  const form = document.getElementById("filters");
  if (!table || !form) return;
  const data = JSON.parse(document.getElementById("kubesnap-data").textContent).findings;
  const body = table.tBodies[0];
  const rows = new Map(Array.from(body.rows, (row) => [Number(row.dataset.index), row]));
  const shown = document.getElementById("shown");
  const field = (name) => form.elements.namedItem(name);

  function apply() {
    const severity = field("severity").value;
    const namespace = field("namespace").value;
    const rule = field("rule").value;
    const text = field("text").value.trim().toLowerCase();
    let count = 0;
    for (const item of data) {
      const haystack = [item.object, item.rule, item.message, item.file].join(" ").toLowerCase();
      const visible =
        (!severity || item.severity === severity) &&
        (!namespace || item.namespace === namespace) &&
        (!rule || item.rule === rule) &&
        (!text || haystack.includes(text));
      rows.get(item.index).hidden = !visible;
      if (visible) count += 1;
    }
    shown.textContent = count + " of " + data.length + " shown";
  }

  const plain = (key) => (a, b) => (a[key] < b[key] ? -1 : a[key] > b[key] ? 1 : 0);
  const compare = {
    severity: (a, b) => b.rank - a.rank,
    rule: plain("rule"),
    object: plain("object"),
    location: (a, b) => plain("file")(a, b) || a.line - b.line,
    message: plain("message"),
  };
  let sortKey = null;
  let ascending = true;
  const headers = Array.from(table.tHead.rows[0].cells);
  for (const th of headers) {
    const button = th.querySelector("button");
    const by = compare[th.dataset.key];
    if (!button || !by) continue;
    button.addEventListener("click", () => {
      ascending = th.dataset.key === sortKey ? !ascending : true;
      sortKey = th.dataset.key;
      const order = data.slice().sort((a, b) => (ascending ? by(a, b) : by(b, a)) || a.index - b.index);
      for (const item of order) body.appendChild(rows.get(item.index));
      for (const other of headers) other.removeAttribute("aria-sort");
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    });
  }
  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("submit", (event) => event.preventDefault());
  form.hidden = false;
  apply();
})();
