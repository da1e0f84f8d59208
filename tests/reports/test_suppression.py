"""Small-cell suppression (core.suppression): primary ("<3") and complementary ("x"), on tables written out by hand."""

from core.suppression import display_matrix, suppress


def shown(matrix, *, row_totals=True, col_totals=True, limit=2):
    return display_matrix(matrix, row_totals=row_totals, col_totals=col_totals, published=True, limit=limit)


def test_counts_from_one_to_the_threshold_are_hidden_and_zeros_are_shown():
    # A one-column table with its total row: 1 and 2 hidden, 0 and 3 shown.
    assert shown([[1], [2], [0], [3], [6]], row_totals=False) == [["<3"], ["<3"], ["0"], ["3"], ["6"]]


def test_one_suppressed_cell_in_a_row_forces_a_second_one_so_it_cannot_be_recovered_from_the_total():
    # Row "Fisik": 2 boys and 5 girls, total 7. Hiding only the 2 would leave 7 - 5 = 2 readable.
    matrix = [[2, 5, 7],
              [4, 6, 10],
              [6, 11, 17]]
    result = shown(matrix)
    assert result[0] == ["<3", "x", "7"]
    # The columns then have one hidden cell each: the next smallest cell of each column goes too.
    assert result[1] == ["x", "x", "10"]
    assert result[2] == ["6", "11", "17"]
    assert_no_line_with_a_single_hidden_cell(result, row_totals=True, col_totals=True)


def test_a_small_row_total_is_protected_in_the_totals_column():
    # Row 2 holds a single 1: the cell and its row total are small; the column of totals needs a partner.
    matrix = [[3, 4, 7],
              [1, 0, 1],
              [5, 6, 11],
              [9, 10, 19]]
    result = shown(matrix)
    assert result[1] == ["<3", "0", "<3"]
    assert_no_line_with_a_single_hidden_cell(result, row_totals=True, col_totals=True)
    # Column 1 lost another cell besides the 1, so 9 - 3 - 5 can no longer be taken.
    assert sum(cell in ("<3", "x") for cell in [r[0] for r in result]) >= 2


def test_the_internal_edition_shows_every_count():
    matrix = [[2, 5, 7], [2, 5, 7]]
    assert display_matrix(matrix, row_totals=True, col_totals=True, published=False, limit=2) == [
        ["2", "5", "7"], ["2", "5", "7"]]


def test_suppression_reaches_a_fixed_point_on_a_larger_table():
    matrix = [[1, 0, 3, 9, 13], [0, 2, 0, 8, 10], [4, 4, 4, 1, 13], [5, 6, 7, 18, 36]]
    cells = suppress(matrix, row_totals=True, col_totals=True, limit=2)
    text = [["h" if c.hidden else str(c.value) for c in row] for row in cells]
    assert_no_line_with_a_single_hidden_cell(text, row_totals=True, col_totals=True, hidden=("h",))
    # Every primary cell stayed hidden, and no shown cell is from 1 to 2.
    assert all(c.hidden for row in cells for c in row if 1 <= c.value <= 2)


def test_the_threshold_is_a_setting(settings):
    from core.suppression import display_count

    settings.REPORT_SUPPRESSION_THRESHOLD = 4
    assert display_count(4, published=True) == "<5"
    assert display_count(5, published=True) == "5"
    assert display_count(0, published=True) == "0"


def assert_no_line_with_a_single_hidden_cell(table, *, row_totals, col_totals, hidden=("<3", "x")):
    lines = []
    if row_totals:
        lines += table
    if col_totals:
        lines += [list(column) for column in zip(*table, strict=True)]
    for line in lines:
        assert sum(cell in hidden for cell in line) != 1, line
