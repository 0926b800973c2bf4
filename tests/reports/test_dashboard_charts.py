"""The server-side SVG charts: sized to the data, text escaped, no inline style (CSP)."""

from lifeline.reports import dashboard_charts as draw


def test_it_draws_one_bar_per_row_and_escapes_labels():
    svg = draw.bars("Sites <b>", [("<script>x</script>", [3]), ("Other", [0]), ("KK", [6])])
    assert svg.count('class="bar"') == 2  # a zero draws no bar
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "<title>Sites &lt;b&gt;</title>" in svg
    assert "style=" not in svg


def test_it_stacks_series_and_scales_to_the_largest_total():
    svg = draw.bars("Open", [("Reported", [1, 2, 3]), ("Verifying", [0, 0, 0])], series=3)
    assert svg.count('class="bar"') == 3
    assert 'fill="#b42318"' in svg and 'fill="#1570ef"' in svg
    assert ">6</text>" in svg  # the row's total beside it


def test_it_draws_columns_with_sparse_labels_and_an_empty_chart():
    rows = [(f"d{i}", i % 3) for i in range(12)]
    svg = draw.columns("Per day", rows, every=4)
    assert svg.count('class="bar"') == 8
    assert ">d0</text>" in svg and ">d4</text>" in svg and ">d1</text>" not in svg
    assert "<svg" in draw.columns("Nothing", []) and 'class="bar"' not in draw.bars("None", [])
