//! Strings made of a few pieces: `cat!["<p id=\"p-", n, "\">"]` is `format!("<p id=\"p-{n}\">")`
//! without the formatting machinery. A build makes a few hundred such strings per page (ids,
//! addresses, tags), and `format!` spends several times the instructions of copying the
//! pieces: it reads its template at run time, calls through `Display` for every piece and
//! grows its string as it goes. Here the string is allocated once at its final size (numbers
//! counted at their widest) and each piece copied in.

/// A piece of a string made by [`cat!`]: text, or an integer written in decimal.
pub(crate) trait Piece {
    /// How many bytes the piece takes at most.
    fn size(&self) -> usize;
    fn push_to(&self, out: &mut String);
}

impl Piece for str {
    fn size(&self) -> usize {
        self.len()
    }
    fn push_to(&self, out: &mut String) {
        out.push_str(self);
    }
}

impl Piece for String {
    fn size(&self) -> usize {
        self.len()
    }
    fn push_to(&self, out: &mut String) {
        out.push_str(self);
    }
}

impl Piece for Box<str> {
    fn size(&self) -> usize {
        self.len()
    }
    fn push_to(&self, out: &mut String) {
        out.push_str(self);
    }
}

impl<T: Piece + ?Sized> Piece for &T {
    fn size(&self) -> usize {
        (**self).size()
    }
    fn push_to(&self, out: &mut String) {
        (**self).push_to(out);
    }
}

macro_rules! integer_pieces {
    ($($t:ty),*) => {$(
        impl Piece for $t {
            fn size(&self) -> usize {
                // The widest value: `usize::MAX` has 20 digits on 64 bits.
                20
            }
            fn push_to(&self, out: &mut String) {
                out.push_str(itoa::Buffer::new().format(*self));
            }
        }
    )*};
}
integer_pieces!(usize, u32);

/// The pieces, one after another, in a string allocated once.
pub(crate) fn concat(pieces: &[&dyn Piece]) -> String {
    let mut out = String::with_capacity(pieces.iter().map(|p| p.size()).sum());
    for p in pieces {
        p.push_to(&mut out);
    }
    out
}

/// Appends the pieces to `out`, growing it at most once.
pub(crate) fn append(out: &mut String, pieces: &[&dyn Piece]) {
    out.reserve(pieces.iter().map(|p| p.size()).sum());
    for p in pieces {
        p.push_to(out);
    }
}

/// `cat![a, b, …]`: a new string of the pieces (text and integers), in order.
macro_rules! cat {
    ($($piece:expr),+ $(,)?) => {
        $crate::concat::concat(&[$(&$piece as &dyn $crate::concat::Piece),+])
    };
}

/// `push!(out, a, b, …)`: appends the pieces to the string `out`.
macro_rules! push {
    ($out:expr, $($piece:expr),+ $(,)?) => {
        $crate::concat::append($out, &[$(&$piece as &dyn $crate::concat::Piece),+])
    };
}

pub(crate) use {cat, push};

#[cfg(test)]
mod tests {
    #[test]
    fn pieces_are_written_as_format_writes_them() {
        let (n, id, slug) = (42usize, String::from("a-1"), "erlkoenig");
        assert_eq!(cat!["<p id=\"p-", n, "\">"], format!("<p id=\"p-{n}\">"));
        assert_eq!(
            cat!["../", slug, "/index.html#", id],
            format!("../{slug}/index.html#{id}")
        );
        assert_eq!(
            cat!["…", "x", 0u32, u32::MAX, usize::MAX],
            format!("…x0{}{}", u32::MAX, usize::MAX)
        );
        let mut s = String::from("<ol");
        push!(&mut s, " start=\"", 7usize, "\">");
        assert_eq!(s, "<ol start=\"7\">");
    }
}
