"""The seed's HTML report in a real browser: headless Chromium, driven
through ChromeDriver (Debian's chromium and chromium-driver packages).

    python3 tests/browser/report_in_chromium.py target/release/chachong target/browser

Writes the report, loads it from disk, checks the page as a reader meets it
(the overview, 篇5's 重复率, a mask showing the value another copy has, the
cluster's four members side by side, sorting, a copied span's link) and
keeps screenshots and Chromium's PDF of the page in the output folder;
then prints the page with `chachong report --pdf`.
Exits non-zero with the failed check on the first one that does not hold.
"""

import base64
import json
import pathlib
import subprocess
import sys

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

SPLIT = r"^在全市高质量发展工作会议上的讲话篇\d+$"
TITLE = "在全市高质量发展工作会议上的讲话"


def write_report(chachong, out):
    html, report = out / "seed.html", out / "seed.json"
    subprocess.run(
        [chachong, "report", "-q", "--split", SPLIT, "--html", html, "--json", report,
         "tests/data/speeches.txt"],
        check=True,
    )
    return html, json.loads(report.read_text(encoding="utf-8"))


def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    # As root in a sandbox without network: no sandbox, no GPU, and none of
    # Chromium's own connections (refused here, and slow to fail).
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--window-size=1400,1000"):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def check(condition, what):
    if not condition:
        sys.exit(f"report_in_chromium: FAILED: {what}")
    print("ok:", what)


def overview_checks(driver):
    rows = driver.find_elements(By.CSS_SELECTOR, "#overview-table tbody tr")
    check(len(rows) == 9, f"the overview lists the nine speeches ({len(rows)} rows)")
    row5 = driver.find_element(By.CSS_SELECTOR, f'#overview-table tr[data-document="{TITLE}篇5"]')
    rate5 = row5.find_element(By.CSS_SELECTOR, "td.rate").text
    header5 = driver.find_element(By.CSS_SELECTOR, f'section.document[data-document="{TITLE}篇5"] h3 .rate').text
    # 12,299 of its 12,349 letters, digits, ideographs and masks are copied
    # (the rest is boilerplate: 「同志们：」 and the like).
    counted, copied = (int(td.get_attribute("data-v")) for td in
                       row5.find_elements(By.CSS_SELECTOR, "td")[1:4:2])
    check(rate5 == f"{100 * copied / counted:.1f}%" == "99.6%",
          f"篇5's 重复率 in the overview is 99.6%, {copied} of {counted} ({rate5!r})")
    check(header5 == f"重复率 {rate5}", f"and its section says the same ({header5!r})")
    rate1 = driver.find_element(By.CSS_SELECTOR, f'#overview-table tr[data-document="{TITLE}篇1"] td.rate').text
    check(rate1 == "0.0%", f"篇1, in no cluster and sharing no paragraph, has 0.0% ({rate1!r})")
    # Sorting: a click on 重复率 sorts ascending, a second descending.
    head = driver.find_element(By.XPATH, '//table[@id="overview-table"]//th[text()="重复率"]')
    rates = lambda: [float(td.get_attribute("data-v")) for td in
                     driver.find_elements(By.CSS_SELECTOR, "#overview-table tbody td.rate")]
    head.click()
    check(rates() == sorted(rates()), "a click on 重复率 sorts the documents by it, ascending")
    head.click()
    check(rates() == sorted(rates(), reverse=True), "a second click sorts them descending")
    first = driver.find_element(By.CSS_SELECTOR, "#overview-table tbody tr").get_attribute("data-document")
    check(first[-2:] == "篇5", f"the most copied, 篇5, comes first ({first[-2:]})")


def mask_checks(driver, report):
    section = driver.find_element(By.CSS_SELECTOR, f'section.document[data-document="{TITLE}篇5"]')
    masks = section.find_elements(By.CSS_SELECTOR, "mark.mask")
    shown = [m for m in masks if m.text == "****" and "2014" in m.get_attribute("data-values").split(" / ")]
    check(shown, f"篇5 shows a highlighted **** with the value 2014 ({len(masks)} masks marked)")
    mark = shown[0]
    after = driver.execute_script(
        "return getComputedStyle(arguments[0], '::after').content", mark)
    check(after == '"2014"', f"the value 2014 is shown beside the mask ({after})")
    colour = mark.value_of_css_property("background-color")
    check(colour not in ("rgba(0, 0, 0, 0)", "transparent"), f"the mask is highlighted ({colour})")
    places = {tuple(r["range"]) for c in report["clusters"] for r in c["redactions"]
              if r["document"].endswith("篇5")}
    check(len(masks) == len(places), f"every masked place of 篇5 in the report is marked ({len(places)})")
    # A copied span links to its source, and the anchor is on the page.
    link = section.find_element(By.CSS_SELECTOR, "a.copied")
    target = link.get_attribute("href").split("#", 1)[1]
    check(driver.find_elements(By.ID, target), f"a copied span of 篇5 links to #{target}, which exists")
    link.click()
    check(driver.execute_script("return location.hash") == "#" + target, "and following it lands there")


def cluster_checks(driver, report):
    members = [li.get_attribute("data-document")[-2:] for li in
               driver.find_elements(By.CSS_SELECTOR, "#c1 ul.members li")]
    check(members == ["篇3", "篇5", "篇7", "篇9"], f"cluster 1 has the four copies ({members})")
    heads = driver.find_elements(By.CSS_SELECTOR, "#c1 .side-by-side thead th")
    check(len(heads) == 4, f"side by side in four columns ({len(heads)})")
    rows = driver.find_elements(By.CSS_SELECTOR, "#c1 .side-by-side tbody tr")
    check(len(rows) == len(report["clusters"][0]["alignments"]),
          f"one row per aligned paragraph row of the report ({len(rows)})")
    hidden = driver.find_elements(By.CSS_SELECTOR, "#c1 .side-by-side mark.hunk.masked")
    check(hidden, f"masked differences are marked side by side ({len(hidden)})")
    loaded = driver.execute_script("return performance.getEntriesByType('resource').length")
    check(loaded == 0, f"the page fetched nothing ({loaded} resources)")


def pdf_checks(chachong, out):
    """`chachong report --pdf`: the page printed by Chromium itself."""
    pdf = out / "seed-printed.pdf"
    pdf.unlink(missing_ok=True)
    subprocess.run([chachong, "report", "-q", "--split", SPLIT, "--pdf", pdf,
                    "tests/data/speeches.txt"], check=True)
    data = pdf.read_bytes()
    pages = data.count(b"/Type /Page") - data.count(b"/Type /Pages")
    check(data.startswith(b"%PDF") and pages > 10, f"report --pdf prints the page ({pages} pages)")


def main():
    chachong, out = sys.argv[1], pathlib.Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    html, report = write_report(chachong, out)
    driver = browser()
    try:
        driver.get(html.resolve().as_uri())
        check(driver.title == "查重报告 · chachong", f"the page loads ({driver.title!r})")
        driver.save_screenshot(str(out / "overview.png"))
        overview_checks(driver)
        mask_checks(driver, report)
        cluster_checks(driver, report)
        # The cluster side by side, from the row where the masks start,
        # under the column heads (which stay at the top of the window).
        driver.execute_script(
            "const row = document.querySelector('#c1 .side-by-side tbody tr:nth-child(3)');"
            "window.scrollTo(0, row.getBoundingClientRect().top + window.scrollY - 60)")
        driver.save_screenshot(str(out / "cluster.png"))
        driver.execute_script(
            f"document.querySelector('section.document[data-document=\"{TITLE}篇5\"]').scrollIntoView()")
        driver.save_screenshot(str(out / "document.png"))
        pdf = driver.print_page()
        (out / "seed.pdf").write_bytes(base64.b64decode(pdf))
    finally:
        driver.quit()
    pdf_checks(chachong, out)
    print(f"screenshots and PDFs in {out}")


if __name__ == "__main__":
    main()
