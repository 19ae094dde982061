-- One row per non-empty question cell of the current police delivery (Q3 excluded), long form,
-- conformed to the canonical question keys of the question_map seed.
{{ stage_survey_answers('police') }}
