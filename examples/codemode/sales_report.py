# A CSV-processing program in Python code mode: read every CSV under /data with the csv
# module (plain open() works on the sandbox filesystem), total the sales per region and
# per product, write a report with fs, and return a summary as the result.
#
#   agentsh python --mount examples/codemode/data:/data:ro --export /out:./out \
#       examples/codemode/sales_report.py
import csv
from collections import defaultdict
from decimal import Decimal

by_region = defaultdict(Decimal)
by_product = defaultdict(int)
bad_rows = []
files = fs.glob("/data/*.csv")
for path in files:
    with open(path, newline="") as f:
        for n, row in enumerate(csv.DictReader(f), start=2):
            try:
                qty = int(row["qty"])
                price = Decimal(row["unit_price"])
            except (KeyError, ValueError, ArithmeticError):
                bad_rows.append(f"{path}:{n}")
                continue
            by_region[row["region"]] += qty * price
            by_product[row["product"]] += qty

fs.mkdir("/out", recursive=True)
with open("/out/by_region.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["region", "revenue"])
    for region, revenue in sorted(by_region.items(), key=lambda kv: -kv[1]):
        w.writerow([region, f"{revenue:.2f}"])
fs.write_json("/out/by_product.json", dict(sorted(by_product.items())), indent=2)
if bad_rows:
    log.warn("skipped rows", rows=bad_rows)

top = max(by_region, key=by_region.get) if by_region else None
print(f"{len(files)} files, top region: {top}")
{
    "files": len(files),
    "top_region": top,
    "revenue": {k: str(v) for k, v in sorted(by_region.items())},
    "skipped": bad_rows,
}
