-- One row per response of the current national delivery.
{{ stage_survey_responses('national', organisation_column='Q1. Organisation / Agency', role_column='Q2. Role') }}
