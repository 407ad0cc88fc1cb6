"""Steps the screening browser tests share: fill a screening form as the
team does, read the decision and its letter on the preview, decide."""

from tests.browser import assert_accessible, screenshot

# What a team member notes about a criterion, to the citizen (the notes
# become part of the letter's considerations).
NOTES = {
    1: "Du har svært ved at holde fast i aftalerne.",
    2: "Du er ikke kommet til flere af de aftalte møder.",
    3: "Du har arbejdet med det, men der mangler stadig noget.",
    4: "Du har arbejdet godt med det siden sidst.",
    5: "Du har gjort det rigtig godt.",
}


def shot(page, name, prefix="screening-journey"):
    screenshot(page, f"{prefix}-{name}")


def logout(page):
    page.get_by_role("button", name="Log ud").click()
    page.wait_for_load_state("networkidle")


def fill_screening(page, *, colleague, score, outcome, reasons, facts=""):
    """Two team members take part; every criterion gets a score and a note."""
    page.get_by_label(colleague).check()
    rows = page.locator("[data-testid^=criterion-]")
    for i in range(rows.count()):
        row = rows.nth(i)
        row.locator(f"input[type=radio][value='{score}']").check()
        row.locator("textarea").fill(NOTES[score])
    meetings = page.locator("input[name=meetings]")
    if meetings.count():
        meetings.first.check()
    page.check(f"input[name=outcome][value={outcome}]")
    if facts:
        page.fill("#id_facts", facts)
    page.fill("#id_reasons", reasons)


def preview_and_decide(page, name, *, button, letter_words=(), prefix="screening-journey"):
    page.get_by_role("button", name="Gem og se afgørelsen og brevet").click()
    page.wait_for_selector("h1:has-text('Afgørelse:')")
    assert page.locator("#error-summary").count() == 0, page.inner_text("main")
    for words in letter_words:
        assert words in page.inner_text("article.letter-preview"), words
    shot(page, f"{name}-preview", prefix)
    assert_accessible(page)
    page.get_by_role("button", name=button).click()
    page.wait_for_selector("text=Screeningen er afgjort og registreret.")
