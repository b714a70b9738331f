//! [`Stage`] and [`Pipeline`].

use std::sync::{Arc, LazyLock};

use sitrep_doc::{Doc, Layer};

use crate::actor::ActorCoder;
use crate::entity::EntityRecognizer;
use crate::event::EventCoder;
use crate::kb::KnowledgeBase;

use crate::chunk::Chunker;
use crate::language::LanguageIdentifier;
use crate::lemma::Lemmatizer;
use crate::place::PlaceLinker;
use crate::quote::QuoteAttributor;
use crate::segment::Segmenter;
use crate::tag::PosTagger;
use crate::time::TimeResolver;
use crate::tone::ToneScorer;

/// One step of the pipeline: reads some layers of a document and fills others.
pub trait Stage: Send + Sync {
    /// A stable name, used in configuration, logs and golden files.
    fn name(&self) -> &'static str;

    /// The layers this stage reads; they must be assigned by an earlier stage.
    fn requires(&self) -> &'static [Layer] {
        &[]
    }

    /// The layers this stage fills.
    fn assigns(&self) -> &'static [Layer];

    /// Annotates `doc`. Never fails: any text is valid input.
    fn process(&self, doc: &mut Doc);
}

/// Stages in order, checked at build time. `Send + Sync`: one pipeline serves every thread.
pub struct Pipeline {
    stages: Vec<Box<dyn Stage>>,
}

impl Pipeline {
    pub fn builder() -> PipelineBuilder {
        PipelineBuilder { stages: Vec::new() }
    }

    /// Every stage built so far, in pipeline order, with the compiled-in knowledge base.
    pub fn standard() -> Pipeline {
        Pipeline::with_knowledge_base(builtin_knowledge_base())
    }

    /// The standard stages with `kb` (the compiled-in knowledge base extended by user
    /// dictionaries, say) for entities and actors.
    pub fn with_knowledge_base(kb: Arc<KnowledgeBase>) -> Pipeline {
        Pipeline::builder()
            .stage(LanguageIdentifier::new())
            .stage(Segmenter::new())
            .stage(PosTagger::new())
            .stage(Lemmatizer::new())
            .stage(Chunker::new())
            .stage(EntityRecognizer::new(kb.clone()))
            .stage(ActorCoder::new(kb.clone()))
            .stage(TimeResolver::new())
            .stage(PlaceLinker::new())
            .stage(QuoteAttributor::new())
            .stage(ToneScorer::new())
            .stage(EventCoder::new(kb))
            .build()
            .expect("the standard stages are in order")
    }

    /// The stage names, in order.
    pub fn stage_names(&self) -> Vec<&'static str> {
        self.stages.iter().map(|s| s.name()).collect()
    }

    /// Runs every stage on `doc`.
    pub fn run(&self, doc: &mut Doc) {
        for stage in &self.stages {
            stage.process(doc);
        }
    }

    /// Runs the stages in order while `go_on(stage_name, doc)`, asked after each stage, says so
    /// (e.g. stop after `language` for a document that is not English). Returns whether every
    /// stage ran.
    pub fn run_while(
        &self,
        doc: &mut Doc,
        mut go_on: impl FnMut(&'static str, &Doc) -> bool,
    ) -> bool {
        for stage in &self.stages {
            stage.process(doc);
            if !go_on(stage.name(), doc) {
                return false;
            }
        }
        true
    }
}

/// The compiled-in knowledge base (data/kb/), built once per process.
pub fn builtin_knowledge_base() -> Arc<KnowledgeBase> {
    static KB: LazyLock<Arc<KnowledgeBase>> =
        LazyLock::new(|| Arc::new(KnowledgeBase::new(crate::kb::load::builtin())));
    KB.clone()
}

impl std::fmt::Debug for Pipeline {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pipeline")
            .field("stages", &self.stage_names())
            .finish()
    }
}

/// Collects stages; [`PipelineBuilder::build`] checks their order.
pub struct PipelineBuilder {
    stages: Vec<Box<dyn Stage>>,
}

impl PipelineBuilder {
    #[must_use]
    pub fn stage(mut self, stage: impl Stage + 'static) -> PipelineBuilder {
        self.stages.push(Box::new(stage));
        self
    }

    /// Checks that every stage's requirements are assigned by a stage before it.
    pub fn build(self) -> Result<Pipeline, PipelineError> {
        let mut assigned: Vec<Layer> = Vec::new();
        for stage in &self.stages {
            for &layer in stage.requires() {
                if !assigned.contains(&layer) {
                    let later = self
                        .stages
                        .iter()
                        .find(|s| s.assigns().contains(&layer))
                        .map(|s| s.name());
                    return Err(PipelineError::MissingLayer {
                        stage: stage.name(),
                        layer,
                        assigned_by: later,
                    });
                }
            }
            assigned.extend_from_slice(stage.assigns());
        }
        Ok(Pipeline {
            stages: self.stages,
        })
    }
}

/// Why a pipeline could not be built.
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    #[error(
        "stage `{stage}` needs the {layer} layer, which no stage before it assigns{}",
        match assigned_by {
            Some(s) => format!(": move stage `{s}` before it"),
            None => ": add a stage that assigns it".to_owned(),
        }
    )]
    MissingLayer {
        stage: &'static str,
        layer: Layer,
        assigned_by: Option<&'static str>,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Needs;
    impl Stage for Needs {
        fn name(&self) -> &'static str {
            "needs"
        }
        fn requires(&self) -> &'static [Layer] {
            &[Layer::Sentences]
        }
        fn assigns(&self) -> &'static [Layer] {
            &[Layer::Entities]
        }
        fn process(&self, _doc: &mut Doc) {}
    }

    #[test]
    fn build_checks_order() {
        let err = Pipeline::builder()
            .stage(Needs)
            .stage(Segmenter::new())
            .stage(PosTagger::new())
            .stage(Lemmatizer::new())
            .stage(Chunker::new())
            .stage(TimeResolver::new())
            .build()
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "stage `needs` needs the sentences layer, which no stage before it assigns: move stage `segment` before it"
        );
        assert!(Pipeline::builder()
            .stage(Segmenter::new())
            .stage(Needs)
            .build()
            .is_ok());
    }

    #[test]
    fn pipeline_is_shareable() {
        fn is_send_sync<T: Send + Sync>() {}
        is_send_sync::<Pipeline>();
    }
}
