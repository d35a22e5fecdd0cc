//! Quote selectors (contract §3): which passage of the reading text an annotation lands on.

use crate::support::{Site, reading_text, surroundings};

/// A site with one Markdown document `seeds/a.md` and its sidecar.
fn md(doc: &str, sidecar: &str) -> Site {
    Site::new(&[("seeds/a.md", doc), ("seeds/a.yaml", sidecar)])
}

/// A site with one plain-text document `seeds/a.txt` and its sidecar.
fn txt(doc: &str, sidecar: &str) -> Site {
    Site::new(&[("seeds/a.txt", doc), ("seeds/a.yaml", sidecar)])
}

/// The reading text an annotation element wraps.
fn quoted(site: &Site, id: &str) -> String {
    let page = site.page("a/index.html");
    let el = page.by_id(id);
    assert_eq!(
        el.attr("data-annotation"),
        Some(id),
        "the quote element carries data-annotation"
    );
    reading_text(&el)
}

#[test]
fn an_exact_quote_lands_on_its_passage() {
    let site = txt(
        "Titel\n\nDer Hund bellt laut.\n",
        "annotations:\n  - id: bark\n    quote: Hund bellt\n    note: Barks.\n",
    );
    site.build_ok(&[]);
    assert_eq!(quoted(&site, "bark"), "Hund bellt");
    let page = site.page("a/index.html");
    let (before, after) = surroundings(&page.by_id("bark"));
    assert_eq!(before, "Der ");
    assert!(after.starts_with(" laut."), "{after:?}");
}

#[test]
fn a_line_break_in_the_quote_matches_a_space_in_the_text() {
    let sidecar = "annotations:\n  - id: w\n    quote: \"zwei\\n   drei\"\n    note: n\n  - id: v\n    quote: |\n      vier\n      fünf\n    note: n\n";
    let site = md("# T\n\nEins zwei drei vier fünf.\n", sidecar);
    site.build_ok(&[]);
    assert_eq!(quoted(&site, "w"), "zwei drei");
    assert_eq!(quoted(&site, "v"), "vier fünf");
}

#[test]
fn spaces_in_the_quote_match_soft_line_breaks_of_a_txt_paragraph() {
    let site = txt(
        "Titel\n\nEins zwei drei\nvier   fünf sechs\n   sieben acht.\n",
        "annotations:\n  - id: a\n    quote: drei vier     fünf\n    note: n\n  - id: b\n    quote: sechs sieben\n    note: n\n",
    );
    site.build_ok(&[]);
    assert_eq!(quoted(&site, "a"), "drei vier fünf");
    assert_eq!(quoted(&site, "b"), "sechs sieben");
}

#[test]
fn a_straight_double_quote_matches_every_typographic_one() {
    let site = md(
        "# T\n\nSie sagte „eins“ und “zwei” und «drei» und ”vier„ zuletzt.\n",
        concat!(
            "annotations:\n",
            "  - id: low\n    quote: sagte \"eins\"\n    note: n\n",
            "  - id: english\n    quote: '\"zwei\"'\n    note: n\n",
            "  - id: guillemets\n    quote: und \"drei\"\n    note: n\n",
            "  - id: odd\n    quote: '\"vier\" zuletzt'\n    note: n\n",
        ),
    );
    site.build_ok(&[]);
    assert_eq!(quoted(&site, "low"), "sagte „eins“");
    assert_eq!(quoted(&site, "english"), "“zwei”");
    assert_eq!(quoted(&site, "guillemets"), "und «drei»");
    assert_eq!(quoted(&site, "odd"), "”vier„ zuletzt");
}

#[test]
fn a_straight_single_quote_matches_every_typographic_one() {
    let site = md(
        "# T\n\nEr nannte es ‚klein‘ und ‘groß’, wir sagen’s anders.\n",
        concat!(
            "annotations:\n",
            "  - id: low\n    quote: \"'klein'\"\n    note: n\n",
            "  - id: high\n    quote: \"'groß'\"\n    note: n\n",
            "  - id: apostrophe\n    quote: \"sagen's\"\n    note: n\n",
        ),
    );
    site.build_ok(&[]);
    assert_eq!(quoted(&site, "low"), "‚klein‘");
    assert_eq!(quoted(&site, "high"), "‘groß’");
    assert_eq!(quoted(&site, "apostrophe"), "sagen’s");
}

#[test]
fn a_straight_double_quote_does_not_match_a_single_one() {
    let site = md(
        "# T\n\nEr nannte es ‚klein‘.\n",
        "annotations:\n  - quote: '\"klein\"'\n    note: n\n",
    );
    let run = site.build(&[]);
    site.assert_fails(&run, &["seeds/a.yaml:2:", "not found"]);
}

#[test]
fn matching_is_case_sensitive() {
    let site = txt(
        "Titel\n\nDer Hund bellt.\n",
        "annotations:\n  - quote: der hund\n    note: n\n",
    );
    let run = site.build(&[]);
    site.assert_fails(&run, &["seeds/a.yaml:2:", "not found"]);
}

#[test]
fn other_characters_match_exactly() {
    // No folding of diacritics, dashes or ß: only whitespace and quotation marks fold.
    let site = txt(
        "Titel\n\nDie Straße – gesperrt.\n",
        "annotations:\n  - quote: Strasse - gesperrt\n    note: n\n",
    );
    let run = site.build(&[]);
    site.assert_fails(&run, &["seeds/a.yaml:2:", "not found"]);
}

#[test]
fn a_quote_may_span_emphasis_links_and_code() {
    let site = md(
        "# T\n\nEin *sehr* [langer](https://example.org/) `Text` steht **hier und\ndort** geschrieben.\n",
        "annotations:\n  - id: span\n    quote: sehr langer Text\n    note: n\n  - id: bold\n    quote: steht hier\n    note: n\n  - id: tail\n    quote: dort geschrieben\n    note: n\n",
    );
    site.build_ok(&[]);
    assert_eq!(quoted(&site, "span"), "sehr langer Text");
    assert_eq!(quoted(&site, "bold"), "steht hier");
    assert_eq!(quoted(&site, "tail"), "dort geschrieben");
    let page = site.page("a/index.html");
    let span = page.by_id("span");
    let inner = span.inner_html();
    assert!(
        inner.contains("<em>sehr</em>"),
        "the emphasis stays inside the quote: {inner}"
    );
    assert!(
        inner.contains("<code>Text</code>"),
        "the code stays inside the quote: {inner}"
    );
    assert!(
        inner.contains("href=\"https://example.org/\""),
        "the link stays inside the quote: {inner}"
    );
    // The markup outside the quotes is kept too.
    let strong: String = page.all("strong").iter().flat_map(|s| s.text()).collect();
    assert_eq!(strong.split_whitespace().collect::<Vec<_>>(), ["hier", "und", "dort"]);
}

#[test]
fn a_quote_does_not_reach_across_blocks() {
    let site = md(
        "# T\n\nEnde eins.\n\nAnfang zwei.\n",
        "annotations:\n  - quote: eins. Anfang\n    note: n\n",
    );
    let run = site.build(&[]);
    site.assert_fails(&run, &["seeds/a.yaml:2:", "not found"]);
}

#[test]
fn the_title_is_not_part_of_the_reading_text() {
    let site = txt(
        "Ein einzigartiger Titel\n\nDer Text.\n",
        "annotations:\n  - quote: einzigartiger\n    note: n\n",
    );
    let run = site.build(&[]);
    site.assert_fails(&run, &["seeds/a.yaml:2:", "not found"]);
}

#[test]
fn quotes_match_in_headings_list_items_and_table_cells() {
    let site = md(
        "# T\n\n## Erster Abschnitt\n\n- Punkt eins\n- Punkt zwei\n\n| Kopf | Zelle |\n| --- | --- |\n| links | rechts unten |\n",
        "annotations:\n  - id: h\n    quote: Erster\n    note: n\n  - id: li\n    quote: Punkt zwei\n    note: n\n  - id: td\n    quote: rechts unten\n    note: n\n",
    );
    site.build_ok(&[]);
    let page = site.page("a/index.html");
    for (id, parent) in [("h", "h2"), ("li", "li"), ("td", "td")] {
        let el = page.by_id(id);
        assert!(
            crate::support::is_inside(&el, parent),
            "`{id}` should lie inside a <{parent}>"
        );
    }
    assert_eq!(quoted(&site, "li"), "Punkt zwei");
    assert_eq!(quoted(&site, "td"), "rechts unten");
}

const DOGS: &str = "# T\n\nEin Hund bellt, zwei Hund schlafen, drei Hund fressen.\n";

#[test]
fn prefix_picks_the_match_it_stands_after() {
    let site = md(
        DOGS,
        "annotations:\n  - id: dog\n    quote: Hund\n    prefix: \"zwei \"\n    note: n\n",
    );
    site.build_ok(&[]);
    let page = site.page("a/index.html");
    let (before, after) = surroundings(&page.by_id("dog"));
    assert_eq!(before, "Ein Hund bellt, zwei ");
    assert!(after.starts_with(" schlafen"), "{after:?}");
}

#[test]
fn suffix_picks_the_match_it_stands_before() {
    let site = md(
        DOGS,
        "annotations:\n  - id: dog\n    quote: Hund\n    suffix: \" fressen\"\n    note: n\n",
    );
    site.build_ok(&[]);
    let page = site.page("a/index.html");
    let (before, _) = surroundings(&page.by_id("dog"));
    assert_eq!(before, "Ein Hund bellt, zwei Hund schlafen, drei ");
}

#[test]
fn prefix_and_suffix_fold_whitespace_too() {
    let site = md(
        DOGS,
        "annotations:\n  - id: dog\n    quote: Hund\n    prefix: \"bellt,   zwei\\n\"\n    suffix: \"  schlafen,\"\n    note: n\n",
    );
    site.build_ok(&[]);
    let page = site.page("a/index.html");
    let (before, _) = surroundings(&page.by_id("dog"));
    assert_eq!(before, "Ein Hund bellt, zwei ");
}

#[test]
fn occurrence_picks_the_nth_match() {
    let site = md(
        DOGS,
        "annotations:\n  - id: first\n    quote: Hund\n    occurrence: 1\n    note: n\n  - id: third\n    quote: Hund\n    occurrence: 3\n    note: n\n",
    );
    site.build_ok(&[]);
    let page = site.page("a/index.html");
    assert_eq!(surroundings(&page.by_id("first")).0, "Ein ");
    assert_eq!(
        surroundings(&page.by_id("third")).0,
        "Ein Hund bellt, zwei Hund schlafen, drei "
    );
}

#[test]
fn occurrence_counts_among_the_matches_that_fit_prefix_and_suffix() {
    let site = md(
        "# T\n\nder Hund, ein Hund, der Hund, ein Hund, der Hund.\n",
        "annotations:\n  - id: dog\n    quote: Hund\n    prefix: \"der \"\n    occurrence: 2\n    note: n\n",
    );
    site.build_ok(&[]);
    let page = site.page("a/index.html");
    assert_eq!(surroundings(&page.by_id("dog")).0, "der Hund, ein Hund, der ");
}

#[test]
fn occurrence_counts_across_blocks() {
    let site = md(
        "# T\n\nErst ein Hund.\n\nDann noch ein Hund hier.\n",
        "annotations:\n  - id: dog\n    quote: Hund\n    occurrence: 2\n    note: n\n",
    );
    site.build_ok(&[]);
    let page = site.page("a/index.html");
    let (before, after) = surroundings(&page.by_id("dog"));
    assert_eq!(before, "Dann noch ein ");
    assert!(after.starts_with(" hier"), "{after:?}");
}

#[test]
fn quotes_may_nest_and_coincide() {
    let site = md(
        "# T\n\nEins zwei drei vier.\n",
        "annotations:\n  - id: outer\n    quote: zwei drei vier\n    note: n\n  - id: inner\n    quote: drei\n    gloss: three\n  - id: twin\n    quote: zwei drei vier\n    note: m\n",
    );
    site.build_ok(&[]);
    let page = site.page("a/index.html");
    let inner = page.by_id("inner");
    assert!(
        crate::support::is_inside(&inner, "[id=\"outer\"]"),
        "the inner quote lies inside the outer one"
    );
    let outer = page.by_id("outer");
    let twin = page.by_id("twin");
    assert!(
        crate::support::is_inside(&outer, "[id=\"twin\"]") || crate::support::is_inside(&twin, "[id=\"outer\"]"),
        "two annotations of one span nest"
    );
    assert_eq!(quoted(&site, "twin"), quoted(&site, "outer"));
    assert_eq!(surroundings(&twin).0, "Eins ");
}

#[test]
fn crossing_quotes_are_an_error_naming_both() {
    let site = md(
        "# T\n\nEins zwei drei.\n",
        "annotations:\n  - id: left\n    quote: Eins zwei\n    note: n\n  - id: right\n    quote: zwei drei\n    note: n\n",
    );
    let run = site.build(&[]);
    site.assert_fails(&run, &["seeds/a.yaml:"]);
    let errors = run.errors();
    assert_eq!(errors.len(), 1, "{run}");
    assert!(errors[0].contains("left") && errors[0].contains("right"), "{run}");
}

#[test]
fn not_found_shows_the_closest_passage() {
    let site = md(
        "# T\n\nErster Absatz ohne Bezug.\n\nDer Bericht wurde als Desinformation bezeichnet.\n",
        "annotations:\n  - id: x\n    quote: Bericht wurde als Falschinformation\n    note: n\n",
    );
    let run = site.build(&[]);
    site.assert_fails(
        &run,
        &["seeds/a.yaml:3:", "not found", "Bericht wurde als Desinformation"],
    );
}

#[test]
fn ambiguity_is_an_error_listing_where_the_matches_stand() {
    let site = md(
        "# T\n\nErst ein Hund.\n\nDann\nnoch\nein Hund.\n",
        "annotations:\n  - quote: Hund\n    note: n\n",
    );
    let run = site.build(&[]);
    site.assert_fails(&run, &["seeds/a.yaml:2:"]);
    // The matches stand on lines 3 and 7 of the document.
    assert!(
        run.stderr.contains("line 3") && run.stderr.contains("line 7"),
        "the error should say where both matches stand\n{run}"
    );
}

#[test]
fn an_occurrence_past_the_last_match_is_an_error() {
    let site = md(DOGS, "annotations:\n  - quote: Hund\n    occurrence: 4\n    note: n\n");
    let run = site.build(&[]);
    site.assert_fails(&run, &["seeds/a.yaml:3:"]);
    let message = run.error_messages().join("\n");
    assert!(
        message.contains('3'),
        "the message should say how many matches there are\n{run}"
    );
}

#[test]
fn an_annotation_that_says_nothing_is_an_error() {
    let site = md(
        DOGS,
        "annotations:\n  - quote: Ein Hund\n    gloss: a dog\n  - quote: bellt\n    prefix: \"Hund \"\n",
    );
    let run = site.build(&[]);
    site.assert_fails(&run, &["seeds/a.yaml:4:"]);
    assert_eq!(run.errors().len(), 1, "{run}");
    assert!(run.stderr.contains("note"), "the hint names what is missing\n{run}");
}

#[test]
fn a_typographic_mark_in_the_quote_matches_only_itself() {
    let site = md(
        "# T\n\nEr sagte “eins” und „eins“.\n",
        "annotations:\n  - id: low\n    quote: „eins“\n    note: n\n",
    );
    site.build_ok(&[]);
    assert_eq!(quoted(&site, "low"), "„eins“");
    let site = md(
        "# T\n\nEr sagte \"eins\".\n",
        "annotations:\n  - quote: „eins“\n    note: n\n",
    );
    let run = site.build(&[]);
    site.assert_fails(&run, &["seeds/a.yaml:2:", "not found"]);
}

#[test]
fn a_quote_matches_the_rendered_text_of_markdown() {
    let site = md(
        "# T\n\nTom &amp; Jerry, 10&nbsp;km und A\\*B.\n",
        "annotations:\n  - id: amp\n    quote: Tom & Jerry\n    note: n\n  - id: nbsp\n    quote: 10 km\n    note: n\n  - id: star\n    quote: A*B\n    note: n\n",
    );
    site.build_ok(&[]);
    assert_eq!(quoted(&site, "amp"), "Tom & Jerry");
    assert_eq!(quoted(&site, "nbsp"), "10 km");
    assert_eq!(quoted(&site, "star"), "A*B");
}

#[test]
fn prefix_and_suffix_must_stand_in_the_same_block() {
    let site = md(
        "# T\n\nErst.\n\nHund bellt.\n",
        "annotations:\n  - quote: Hund\n    prefix: \"Erst. \"\n    note: n\n",
    );
    let run = site.build(&[]);
    site.assert_fails(&run, &["seeds/a.yaml:2:", "not found"]);
}
