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
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Dict, Optional, Text, Tuple

import rasa.shared.utils.io
from rasa.shared.constants import PACKAGE_NAME, RESPONSES_SCHEMA_FILE, SCHEMA_EXTENSIONS_FILE
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

    def get_nlu_data(self, language: Optional[Text] = "en") -> TrainingData:
        """The NLU files' training data (Rasa's wrappers merge it into copies of their own)."""
        if language not in self._nlu_data:
            self._nlu_data[language] = self._read_nlu_files(language)
        return self._nlu_data[language]

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
        content = rasa.shared.utils.io.read_yaml(rasa.shared.utils.io.read_file(path))
        _check_schema(content, path)
        if not validation.validate_training_data_format_version(content, path):
            return
        for key, value in content.items():
            if key == KEY_NLU:
                self._parse_nlu(value)
            elif key == KEY_RESPONSES:
                # As TrainingData.merge: a later file's response replaces an earlier one's.
                self.responses.update(value)


def _check_schema(content: Any, path: Text) -> None:
    """Rasa's NLU schema check (``validation.validate_yaml_schema``) of parsed content.

    The content was parsed without line marks (the quick way); a file that fails is checked
    again by Rasa's function on its text, whose error tells the lines.
    """
    from pykwalify.core import Core
    from pykwalify.errors import SchemaError

    schema, extensions = _nlu_schema()
    core = Core(source_data=content, schema_data=schema, extensions=[extensions])
    try:
        core.validate(raise_exception=True)
    except SchemaError:
        try:
            validation.validate_yaml_schema(rasa.shared.utils.io.read_file(path), NLU_SCHEMA_FILE)
        except validation.YamlValidationException as error:
            error.filename = path
            raise error from None
        raise AssertionError(f"{path}: refused by the schema on one reading only") from None


@lru_cache(maxsize=1)
def _nlu_schema() -> Tuple[Dict[Text, Any], Text]:
    import logging

    import pkg_resources

    logging.getLogger("pykwalify").setLevel(logging.CRITICAL)
    schema = rasa.shared.utils.io.read_yaml_file(
        pkg_resources.resource_filename(PACKAGE_NAME, NLU_SCHEMA_FILE)
    )
    responses = rasa.shared.utils.io.read_yaml_file(
        pkg_resources.resource_filename(PACKAGE_NAME, RESPONSES_SCHEMA_FILE)
    )
    extensions = pkg_resources.resource_filename(PACKAGE_NAME, SCHEMA_EXTENSIONS_FILE)
    return dict(schema, **responses), extensions
