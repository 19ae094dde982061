-- One row per response of the current police delivery.
{{ stage_survey_responses('police', organisation_column='Q1. Police Force', role_column='Q2. Role/rank') }}
