//! A page's notes: the reference that stands in the text, the note's element (after its block
//! or in the list at the end of the text), and the numbering of Markdown footnotes among the
//! annotations' notes.

use super::{BodyOptions, Renderer};
use crate::concat::{cat, push};
use crate::markdown::{Outline, escape, heading_attrs, rewrite_link};
use crate::parse::document::Spanned;
use crate::theme::NotePlacement;
use pulldown_cmark::{Event, html};

/// One note as rendered: its number, its body's HTML, and its plain text (for search).
pub struct RenderedNote {
    pub number: usize,
    pub html: String,
    pub text: String,
    /// A Markdown footnote of the text itself, in the text's language; the others are the
    /// annotations' notes, in the site's.
    pub of_text: bool,
}

/// ` lang="…"` for notes and glosses in a document of another language than the site's.
pub(super) fn lang_attr(opts: &BodyOptions) -> String {
    opts.site_lang
        .map(|l| cat![" lang=\"", escape(l), "\""])
        .unwrap_or_default()
}

/// ` lang="…"` for the body of a footnote of the text in a document of another language than
/// the site's: it stands among the annotations' notes, which carry the site's language (as its
/// backlink's label does), but is written in the text's.
fn text_lang_attr(note: &RenderedNote, opts: &BodyOptions) -> String {
    match opts.site_lang {
        Some(_) if note.of_text => cat![" lang=\"", escape(opts.lang), "\""],
        _ => String::new(),
    }
}

/// A gloss after its words: hidden until hover or focus on a web page (the theme's CSS), in
/// the text in parentheses in the EPUB edition, where an e-ink screen has no hover
/// (docs/epub.md).
pub(super) fn gloss_html(gloss: &str, opts: &BodyOptions) -> String {
    let [open, close] = if opts.book { [" (", ")"] } else { ["", ""] };
    cat![
        "<span class=\"gloss-text\"",
        lang_attr(opts),
        ">",
        open,
        escape(gloss.trim()),
        close,
        "</span>"
    ]
}

/// One note's body element: the hook `id="note-N" role="doc-footnote"` with its backlink; in
/// the EPUB edition an EPUB footnote (`aside epub:type="footnote"`), which reading systems
/// open as a pop-up from its reference.
pub(super) fn note_html(note: &RenderedNote, opts: &BodyOptions) -> String {
    let n = note.number;
    let label = escape(&opts.strings.with_number("back_to_reference", n));
    let lang = text_lang_attr(note, opts);
    if opts.book {
        return cat![
            "<aside class=\"note\" epub:type=\"footnote\" role=\"doc-footnote\" id=\"note-",
            n,
            "\"><p class=\"note-number\"><a class=\"note-backlink\" role=\"doc-backlink\" href=\"#noteref-",
            n,
            "\" aria-label=\"",
            label,
            "\">",
            n,
            "</a></p><div class=\"note-body\"",
            lang,
            ">",
            note.html,
            "</div></aside>\n",
        ];
    }
    cat![
        "<div class=\"note\" id=\"note-",
        n,
        "\" role=\"doc-footnote\"><a class=\"note-backlink\" role=\"doc-backlink\" href=\"#noteref-",
        n,
        "\" aria-label=\"",
        label,
        "\">",
        n,
        "</a><div class=\"note-body\"",
        lang,
        ">",
        note.html,
        "</div></div>",
    ]
}

/// The notes for the end of the text: an ordered list, one item per note.
pub(super) fn endnotes_html(notes: &[RenderedNote], opts: &BodyOptions) -> String {
    if opts.book {
        // Named, not headed: reading systems that open notes as pop-ups hide the footnotes,
        // and a heading would stand alone at the chapter's end.
        let label = escape(opts.strings.get("notes"));
        let mut s = cat![
            "<section class=\"footnotes\"",
            lang_attr(opts),
            " aria-label=\"",
            label,
            "\">\n"
        ];
        for note in notes {
            s.push_str(&note_html(note, opts));
        }
        s.push_str("</section>\n");
        return s;
    }
    let mut s = cat!["<ol class=\"endnotes\"", lang_attr(opts), ">\n"];
    for note in notes {
        push!(&mut s, "<li>", note_html(note, opts), "</li>\n");
    }
    s.push_str("</ol>\n");
    s
}

impl Renderer<'_> {
    /// The reference to the next note, and the note kept for its place; `of_text` for a
    /// footnote of the text.
    pub(super) fn note_ref(&mut self, body_html: String, text: String, of_text: bool) {
        let n = self.notes.len() + 1;
        self.html(cat![
            "<a class=\"noteref\"",
            self.epub_type("noteref"),
            " role=\"doc-noteref\" id=\"noteref-",
            n,
            "\" href=\"#note-",
            n,
            "\">",
            n,
            "</a>"
        ]);
        self.notes.push(RenderedNote {
            number: n,
            html: body_html,
            text,
            of_text,
        });
        if let Some(p) = self.pending.last_mut() {
            p.push(n);
        }
    }

    /// ` epub:type="TYPE"` in the EPUB edition, else nothing.
    fn epub_type(&self, kind: &str) -> String {
        if self.opts.book {
            cat![" epub:type=\"", kind, "\""]
        } else {
            String::new()
        }
    }

    pub(super) fn footnote_ref(&mut self, label: &str) {
        if let Some((_, n)) = self.footnote_numbers.iter().find(|(l, _)| l == label) {
            let n = *n;
            self.html(cat![
                "<a class=\"noteref\"",
                self.epub_type("noteref"),
                " role=\"doc-noteref\" href=\"#note-",
                n,
                "\">",
                n,
                "</a>"
            ]);
            return;
        }
        let Some((_, evs)) = self.page.body.footnotes.iter().find(|(l, _)| l == label) else {
            self.out.push(Event::Text(cat!["[^", label, "]"].into()));
            return;
        };
        let mut body = String::new();
        let mut outline = Outline::new(self.note_heading_base());
        html::push_html(
            &mut body,
            evs.iter().map(|(e, _): &Spanned| {
                outline.event(heading_attrs(rewrite_link(e.clone(), self.root), self.raw_html))
            }),
        );
        let mut text = String::new();
        for (e, _) in evs {
            match e {
                Event::Text(t) | Event::Code(t) => text.push_str(t),
                Event::SoftBreak | Event::HardBreak | Event::End(_) => text.push(' '),
                _ => {}
            }
        }
        let text = crate::text::collapse(&text);
        self.footnote_numbers.push((label.to_owned(), self.notes.len() + 1));
        self.note_ref(body, text, true);
    }

    pub(super) fn flush_notes(&mut self) {
        let Some(numbers) = self.pending.pop() else { return };
        if numbers.is_empty() || self.opts.notes == NotePlacement::End {
            return;
        }
        let mut s = cat!["<aside class=\"notes\"", lang_attr(self.opts), ">"];
        for n in numbers {
            s.push_str(&note_html(&self.notes[n - 1], self.opts));
        }
        s.push_str("</aside>\n");
        self.out.push(Event::Html(s.into()));
    }
}
