"""The NLU files read once give the training data Rasa's own file importer gives."""

from __future__ import annotations

import json

import pytest
from rasa.shared.importers.importer import TrainingDataImporter
from rasa.shared.importers.rasa import RasaFileImporter
from rasa.shared.exceptions import YamlSyntaxException
from rasa.shared.utils.validation import YamlValidationException

from components.file_importer import NluOnceFileImporter
from passordhjelp.config import PROJECT_ROOT


def contents(data):
    return (
        data.fingerprint(),
        [message.data for message in data.training_examples],
        data.entity_synonyms,
        data.regex_features,
        data.lookup_tables,
        data.responses,
    )


def importers(config, domain, paths):
    return RasaFileImporter(config, domain, paths), NluOnceFileImporter(config, domain, paths)


def test_the_projects_nlu_data_is_rasas_read_once():
    config, domain = str(PROJECT_ROOT / "config.yml"), str(PROJECT_ROOT / "domain.yml")
    rasas, ours = importers(config, domain, [str(PROJECT_ROOT / "data")])
    data = ours.get_nlu_data()
    assert len(data.training_examples) > 5000
    assert contents(data) == contents(rasas.get_nlu_data())
    # Rasa's training asks once without the language and once with it.
    assert ours.get_nlu_data(language="en") is data


def test_config_yml_trains_with_it():
    config = str(PROJECT_ROOT / "config.yml")
    importer = TrainingDataImporter.load_from_config(config, None, [])
    # Rasa wraps the configured importers: E2E (responses sync (combined (...))).
    combined = importer.importer._importer._importers
    assert [type(each) for each in combined] == [NluOnceFileImporter]


def test_several_files_merge_as_rasas_a_json_file_too(tmp_path):
    (tmp_path / "a.yml").write_text(
        'version: "3.1"\n'
        "nlu:\n- intent: greet\n  examples: |\n    - hi\n    - hello [Kari](person)\n"
        "- synonym: pw\n  examples: |\n    - passord\n"
        "- regex: code\n  examples: |\n    - \\d{6}\n"
        "responses:\n  utter_ask_process/reset:\n  - text: first\n"
    )
    (tmp_path / "b.yml").write_text(
        'version: "3.1"\n'
        "nlu:\n- intent: ask_process/reset\n  examples: |\n    - how do I reset\n"
        "- lookup: city\n  examples: |\n    - Oslo\n"
        "responses:\n  utter_ask_process/reset:\n  - text: second\n"
    )
    (tmp_path / "c.json").write_text(
        json.dumps({"rasa_nlu_data": {"common_examples": [{"text": "bye", "intent": "goodbye"}]}})
    )
    rasas, ours = importers(None, None, [str(tmp_path)])
    data = ours.get_nlu_data()
    assert contents(data) == contents(rasas.get_nlu_data())
    assert {m.get("text") for m in data.training_examples} >= {"hi", "how do I reset", "bye"}
    assert data.responses["utter_ask_process/reset"] == [{"text": "second"}]


def test_a_file_against_the_schema_is_refused_with_its_name_and_line(tmp_path):
    (tmp_path / "bad.yml").write_text(
        'version: "3.1"\nnlu:\n- intent: greet\n  examples: |\n    - hi\n'
        "- intent: goodbye\n  examples: 5\n"
    )
    for importer in importers(None, None, [str(tmp_path)]):
        with pytest.raises(YamlValidationException) as raised:
            importer.get_nlu_data()
        assert "bad.yml" in str(raised.value)
        assert "bad.yml:6:" in str(raised.value)  # the item that holds the wrong value


def test_the_projects_stories_and_domain_are_rasas_read_once():
    config, domain = str(PROJECT_ROOT / "config.yml"), str(PROJECT_ROOT / "domain.yml")
    rasas, ours = importers(config, domain, [str(PROJECT_ROOT / "data")])
    stories, theirs = ours.get_stories(), rasas.get_stories()
    assert len(stories.story_steps) > 50
    # The fingerprint is a hash of the steps written out as YAML (names, events, checkpoints).
    assert stories.fingerprint() == theirs.fingerprint()
    assert [step.block_name for step in stories.story_steps] == [
        step.block_name for step in theirs.story_steps
    ]
    assert [type(step) for step in stories.story_steps] == [type(s) for s in theirs.story_steps]
    assert ours.get_domain().as_dict() == rasas.get_domain().as_dict()
    assert ours.get_domain().fingerprint() == rasas.get_domain().fingerprint()
    assert ours.get_domain() is ours.get_domain()


def test_a_story_file_against_the_schema_is_refused_with_its_name_and_line(tmp_path):
    (tmp_path / "rules.yml").write_text(
        'version: "3.1"\nrules:\n- rule: greet\n  steps:\n  - intent: greet\n  - action: 5\n  - bad: x\n'
    )
    for importer in importers(None, None, [str(tmp_path)]):
        with pytest.raises(YamlValidationException) as raised:
            importer.get_stories()
        assert "rules.yml" in str(raised.value)
        assert "rules.yml:6:" in str(raised.value)


def test_a_story_file_that_is_no_yaml_is_refused_with_its_name(tmp_path):
    (tmp_path / "stories.yml").write_text('version: "3.1"\nstories:\n- story: a\n  steps: [\n')
    for importer in importers(None, None, [str(tmp_path)]):
        with pytest.raises(YamlSyntaxException) as raised:
            importer.get_stories()
        assert "stories.yml" in str(raised.value)


def test_an_nlu_file_that_is_no_yaml_is_refused_with_its_name(tmp_path):
    (tmp_path / "nlu.yml").write_text('version: "3.1"\nnlu:\n- intent: greet\n  examples: [\n')
    for importer in importers(None, None, [str(tmp_path)]):
        with pytest.raises(YamlSyntaxException) as raised:
            importer.get_nlu_data()
        assert "nlu.yml" in str(raised.value)
