//! The one adapter between shirube's analyzers and tantivy: every analyzer produces a
//! `Vec<Token>` eagerly (texts are entry-sized), and this stream replays it.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// An analyzer: turns text into tokens whose offsets point into that text.
pub trait Analyze: Clone + Send + Sync + 'static {
    fn analyze(&self, text: &str, out: &mut Vec<Token>);
}

/// Wraps an [`Analyze`] as a tantivy [`Tokenizer`].
#[derive(Clone)]
pub struct AsTokenizer<A>(pub A);

impl<A: Analyze> Tokenizer for AsTokenizer<A> {
    type TokenStream<'a> = VecTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        let mut tokens = Vec::new();
        self.0.analyze(text, &mut tokens);
        VecTokenStream {
            tokens,
            next: 0,
            empty: Token::default(),
        }
    }
}

pub struct VecTokenStream {
    tokens: Vec<Token>,
    /// Index of the token `advance` moves to next.
    next: usize,
    empty: Token,
}

impl TokenStream for VecTokenStream {
    fn advance(&mut self) -> bool {
        if self.next < self.tokens.len() {
            self.next += 1;
            true
        } else {
            false
        }
    }

    fn token(&self) -> &Token {
        self.next
            .checked_sub(1)
            .and_then(|i| self.tokens.get(i))
            .unwrap_or(&self.empty)
    }

    fn token_mut(&mut self) -> &mut Token {
        match self.next.checked_sub(1) {
            Some(i) if i < self.tokens.len() => &mut self.tokens[i],
            _ => &mut self.empty,
        }
    }
}

/// Appends a token with offsets in the original text.
pub fn push(out: &mut Vec<Token>, text: String, from: usize, to: usize, position: usize) {
    out.push(Token {
        offset_from: from,
        offset_to: to,
        position,
        text,
        position_length: 1,
    });
}
