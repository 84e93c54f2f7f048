"""Rasa's file importer with the NLU files read once (config.yml's ``importers``).

``rasa train`` asks for the NLU data twice (``get_nlu_data()`` before the graph, and
``get_nlu_data(language=...)`` in it: two keys of Rasa's cache), and Rasa's reader parses
every file twice each time, once with line marks for the schema check (reading the two
schema files again for each data file) and once for its content, then merges the ~150
files' data with a deep copy of every example. Here each file is parsed once per process
(Rasa's YAML reading, so the same values), checked against the same schema (loaded
once), and its examples, synonyms, regexes, lookup tables and responses are gathered as
Rasa's merge gathers them, without copying: the same training data (tested), about 4 of
``rasa train``'s CPU seconds less. A file the schema refuses is checked again by Rasa's
own function, which parses with line marks, so the error names the file and the line.

Likewise the domain is read once (Rasa's file importer loads it again for the stories), and
each story and rule file is parsed once and its parse checked against Rasa's schema (Rasa
parses it a second time, with line marks, for the check): the same domain and stories
(tested), about half a CPU second less (bench/README.md, "Session 16: training time").
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Dict, List, Optional, Text, Tuple

import rasa.shared.data
import rasa.shared.utils.io
from rasa.shared.constants import PACKAGE_NAME, RESPONSES_SCHEMA_FILE, SCHEMA_EXTENSIONS_FILE
from rasa.shared.core.domain import Domain
from rasa.shared.core.training_data import loading as story_loading
from rasa.shared.core.training_data.story_reader.yaml_story_reader import (
    CORE_SCHEMA_FILE,
    YAMLStoryReader,
)
from rasa.shared.core.training_data.structures import StoryGraph, StoryStep
from rasa.shared.exceptions import YamlException, YamlSyntaxException
from rasa.shared.importers.rasa import RasaFileImporter
from rasa.shared.nlu.training_data import loading
from rasa.shared.nlu.training_data.formats.rasa_yaml import (
    KEY_NLU,
    KEY_RESPONSES,
    NLU_SCHEMA_FILE,
    RasaYAMLReader,
)
from rasa.shared.nlu.training_data.training_data import TrainingData
from rasa.shared.utils import validation


class NluOnceFileImporter(RasaFileImporter):
    """``RasaFileImporter`` whose NLU data is read once per language asked for."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._nlu_data: Dict[Optional[Text], TrainingData] = {}
        self._domain: Optional[Domain] = None

    def get_nlu_data(self, language: Optional[Text] = "en") -> TrainingData:
        """The NLU files' training data (Rasa's wrappers merge it into copies of their own)."""
        if language not in self._nlu_data:
            self._nlu_data[language] = self._read_nlu_files(language)
        return self._nlu_data[language]

    def get_domain(self) -> Domain:
        """Rasa's domain, loaded once (Rasa's importer loads it again for the stories)."""
        if self._domain is None:
            self._domain = super().get_domain()
        return self._domain

    def get_stories(self, exclusion_percentage: Optional[int] = None) -> StoryGraph:
        """Rasa's story graph, each YAML file parsed once (Rasa's way when some are to be
        left out at random)."""
        if exclusion_percentage and exclusion_percentage != 100:
            return super().get_stories(exclusion_percentage)
        domain = self.get_domain()
        steps: List[StoryStep] = []
        for path in self._story_files:
            if not rasa.shared.data.is_likely_yaml_file(path):
                steps += story_loading.load_data_from_files([path], domain)
                continue
            reader = YAMLStoryReader(domain, path)
            content = _read_yaml(path)
            _check_schema(content, path, CORE_SCHEMA_FILE)
            try:
                steps += reader.read_from_parsed_yaml(content)
            except YamlException as error:  # as Rasa's reader names the file
                error.filename = path
                raise
        return StoryGraph(steps)

    def _read_nlu_files(self, language: Optional[Text]) -> TrainingData:
        reader = _GatheringReader()
        others = []
        for path in self._nlu_files:
            if loading.guess_format(path) == loading.RASA_YAML:
                reader.add(path)
            else:
                others.append(loading.load_data(path, language))
        gathered = TrainingData(
            reader.training_examples,
            reader.entity_synonyms,
            reader.regex_features,
            reader.lookup_tables,
            reader.responses,
        )
        return gathered.merge(*others) if others else gathered


class _GatheringReader(RasaYAMLReader):
    """Rasa's YAML reader adding file after file to what it has read."""

    def add(self, path: Text) -> None:
        self.filename = path
        content = _read_yaml(path)
        _check_schema(content, path, NLU_SCHEMA_FILE)
        if not validation.validate_training_data_format_version(content, path):
            return
        for key, value in content.items():
            if key == KEY_NLU:
                self._parse_nlu(value)
            elif key == KEY_RESPONSES:
                # As TrainingData.merge: a later file's response replaces an earlier one's.
                self.responses.update(value)


def _read_yaml(path: Text) -> Any:
    """The file's YAML as Rasa reads it; a syntax error as Rasa's schema check reports it."""
    from ruamel.yaml import YAMLError
    from ruamel.yaml.constructor import DuplicateKeyError

    try:
        return rasa.shared.utils.io.read_yaml(rasa.shared.utils.io.read_file(path))
    except (YAMLError, DuplicateKeyError) as error:
        raise YamlSyntaxException(filename=path, underlying_yaml_exception=error) from None


def _check_schema(content: Any, path: Text, schema_file: Text) -> None:
    """Rasa's schema check (``validation.validate_yaml_schema``) of parsed content.

    The content was parsed without line marks (the quick way); a file that fails is checked
    again by Rasa's function on its text, whose error tells the lines.
    """
    from pykwalify.core import Core
    from pykwalify.errors import SchemaError

    schema, extensions = _schema(schema_file)
    core = Core(source_data=content, schema_data=schema, extensions=[extensions])
    try:
        core.validate(raise_exception=True)
    except SchemaError:
        try:
            validation.validate_yaml_schema(rasa.shared.utils.io.read_file(path), schema_file)
        except validation.YamlValidationException as error:
            error.filename = path
            raise error from None
        raise AssertionError(f"{path}: refused by the schema on one reading only") from None


@lru_cache(maxsize=None)
def _schema(schema_file: Text) -> Tuple[Dict[Text, Any], Text]:
    import logging

    import pkg_resources

    logging.getLogger("pykwalify").setLevel(logging.CRITICAL)
    schema = rasa.shared.utils.io.read_yaml_file(
        pkg_resources.resource_filename(PACKAGE_NAME, schema_file)
    )
    responses = rasa.shared.utils.io.read_yaml_file(
        pkg_resources.resource_filename(PACKAGE_NAME, RESPONSES_SCHEMA_FILE)
    )
    extensions = pkg_resources.resource_filename(PACKAGE_NAME, SCHEMA_EXTENSIONS_FILE)
    return dict(schema, **responses), extensions
