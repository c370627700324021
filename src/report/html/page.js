// Sorting a table by the column clicked: numbers as numbers, text in
// Chinese collation; a second click reverses. Each cell carries its value
// in data-v so the shown text (12.5%) need not be parsed.
for (const table of document.querySelectorAll("table.sortable")) {
  const heads = Array.from(table.tHead.rows[0].cells);
  heads.forEach((th, column) => th.addEventListener("click", () => {
    const ascending = th.dataset.order !== "asc";
    heads.forEach(h => delete h.dataset.order);
    th.dataset.order = ascending ? "asc" : "desc";
    const numeric = th.dataset.type === "num";
    const body = table.tBodies[0];
    const rows = Array.from(body.rows);
    rows.sort((a, b) => {
      const x = a.cells[column].dataset.v, y = b.cells[column].dataset.v;
      const order = numeric ? parseFloat(x) - parseFloat(y) : x.localeCompare(y, "zh");
      return ascending ? order : -order;
    });
    for (const row of rows) body.appendChild(row);
  }));
}
