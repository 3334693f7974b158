use std::collections::HashMap;
use std::sync::Arc;

use flow_model::walk::{Target, target_of};
use flow_model::{Diagnostic, Document};
use leptos::prelude::*;

use super::{RemoteProblem, remote_problems};
use crate::state::EditorState;

/// How many errors and warnings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    /// Errors.
    pub errors: usize,
    /// Warnings.
    pub warnings: usize,
}

impl Counts {
    fn add(&mut self, diagnostic: &Diagnostic) {
        if diagnostic.is_error() {
            self.errors += 1;
        } else {
            self.warnings += 1;
        }
    }

    /// Neither errors nor warnings.
    pub fn is_empty(&self) -> bool {
        self.errors == 0 && self.warnings == 0
    }
}

/// The diagnostics of the document, with where each one lands.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ProblemIndex {
    /// The diagnostics, in document order.
    pub diagnostics: Arc<Vec<Diagnostic>>,
    /// Where each diagnostic lands (same order).
    pub targets: Vec<Target>,
    /// Per screen index.
    pub screens: HashMap<usize, Counts>,
    /// Per component pointer (the component's own diagnostics, and its properties').
    pub components: HashMap<String, Counts>,
    /// Diagnostic positions per property pointer, for messages under inspector fields.
    pub properties: HashMap<String, Vec<usize>>,
    /// Every diagnostic.
    pub total: Counts,
    /// Meta's validation errors of the last save (counted in `screens` and `components` as
    /// errors, not in `total`).
    pub remote: Arc<Vec<RemoteProblem>>,
    /// Where each of Meta's errors lands (same order).
    pub remote_targets: Vec<Target>,
    /// Positions in `remote` per property pointer.
    pub remote_properties: HashMap<String, Vec<usize>>,
}

impl ProblemIndex {
    /// Indexes `diagnostics` of `document`.
    pub fn new(document: &Document, diagnostics: Arc<Vec<Diagnostic>>) -> Self {
        let mut index = ProblemIndex { diagnostics: diagnostics.clone(), ..ProblemIndex::default() };
        for (position, diagnostic) in diagnostics.iter().enumerate() {
            let target = target_of(document.root(), &diagnostic.pointer);
            index.total.add(diagnostic);
            if let Some(screen) = target.screen {
                index.screens.entry(screen).or_default().add(diagnostic);
            }
            if let Some(component) = &target.component {
                index.components.entry(component.clone()).or_default().add(diagnostic);
            }
            let property = target.property.clone().unwrap_or_else(|| diagnostic.pointer.clone());
            index.properties.entry(property).or_default().push(position);
            index.targets.push(target);
        }
        index
    }

    /// Adds Meta's validation errors, landing on the same screens, cards and fields.
    pub fn with_remote(mut self, document: &Document, remote: Vec<RemoteProblem>) -> Self {
        for (position, problem) in remote.iter().enumerate() {
            let target = target_of(document.root(), &problem.pointer);
            if let Some(screen) = target.screen {
                self.screens.entry(screen).or_default().errors += 1;
            }
            if let Some(component) = &target.component {
                self.components.entry(component.clone()).or_default().errors += 1;
            }
            let property = target.property.clone().unwrap_or_else(|| problem.pointer.clone());
            self.remote_properties.entry(property).or_default().push(position);
            self.remote_targets.push(target);
        }
        self.remote = Arc::new(remote);
        self
    }

    /// Meta's errors about one property.
    pub fn remote_for_property(&self, pointer: &str) -> Vec<RemoteProblem> {
        self.remote_properties
            .get(pointer)
            .into_iter()
            .flatten()
            .filter_map(|position| self.remote.get(*position).cloned())
            .collect()
    }

    /// The diagnostics about one property.
    pub fn for_property(&self, pointer: &str) -> Vec<Diagnostic> {
        self.properties
            .get(pointer)
            .into_iter()
            .flatten()
            .filter_map(|position| self.diagnostics.get(*position).cloned())
            .collect()
    }
}

/// The problem index of the editor's document, derived (a memo, not an effect).
pub fn problem_index(state: EditorState) -> Memo<Arc<ProblemIndex>> {
    Memo::new(move |_| {
        let diagnostics = state.diagnostics.get();
        let remote = state.extras.with(remote_problems);
        Arc::new(
            state
                .document
                .with(|document| ProblemIndex::new(document, diagnostics).with_remote(document, remote)),
        )
    })
}
