"""The server-side charts: the text in them is escaped, the numbers are
where the weeks put them."""

from mikrolaan.charts import Span, timeline_chart


def test_the_timeline_escapes_its_labels_and_title():
    svg = timeline_chart(
        [Span('<script>alert("x")</script> & co', 1, 4, marker=6, warn=True, since=2)],
        title='Uge "5" <b>',
        weeks=10,
        current_week=5,
    )
    assert "<script>" not in svg and "<b>" not in svg
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co" in svg
    assert 'aria-label="Uge &quot;5&quot; &lt;b&gt;"' in svg
    # Week 1 starts at the labels' edge (320); ten weeks over 900 − 320 − 12 = 568.
    assert '<rect x="320.0" y="25"' in svg
    assert svg.count("<circle") == 1 and 'stroke-dasharray="4 3"' in svg
