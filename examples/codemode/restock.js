// The seed's task as one code-mode program: for each store, check the umbrella stock and
// tomorrow's weather; where rain is coming and stock is low, email the store's manager.
// A model writes this once; the sandbox runs it, and the three tool calls per store never
// cost a model round trip. Run it with `cargo run -p runner --example codemode_js`.
const stores = [
  { city: "Lisbon", manager: "ana@example.com" },
  { city: "Oslo", manager: "ola@example.com" },
  { city: "Cairo", manager: "omar@example.com" },
];
const MIN_STOCK = 20;

const report = [];
for (const store of stores) {
  const [stock, weather] = await Promise.all([
    tools.check_inventory({ item: "umbrella", store: store.city }),
    tools.get_weather({ city: store.city }),
  ]);
  const rainy = /rain|storm|shower/i.test(weather.forecast);
  let emailed = false;
  if (rainy && stock.in_stock < MIN_STOCK) {
    await tools.send_email({
      to: store.manager,
      subject: `Restock umbrellas in ${store.city}`,
      body: `Forecast: ${weather.forecast}. In stock: ${stock.in_stock} (minimum ${MIN_STOCK}).`,
    });
    emailed = true;
  }
  report.push({ city: store.city, in_stock: stock.in_stock, forecast: weather.forecast, emailed });
}

// Keep a record in the sandbox filesystem too (the host can read it after the run).
fs.mkdir("/reports", { recursive: true });
fs.writeJson("/reports/restock.json", report, 2);
console.log(`${report.filter((r) => r.emailed).length} of ${report.length} stores need umbrellas`);
report
