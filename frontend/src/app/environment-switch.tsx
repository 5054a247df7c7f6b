import { ToggleButton, ToggleButtonGroup } from '@mui/material';
import { useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { Environment } from '../gql/graphql';
import { useEnvironment } from '../lib/environment';

/** Sandbox / Production, kept in the URL (?env=production). */
export function EnvironmentSwitch() {
  const { t } = useTranslation();
  const environment = useEnvironment();
  const [params, setParams] = useSearchParams();
  const change = (next: Environment | null) => {
    if (!next || next === environment) return;
    const updated = new URLSearchParams(params);
    updated.set('env', next.toLowerCase());
    setParams(updated);
  };
  return (
    <ToggleButtonGroup
      size="small"
      exclusive
      color="primary"
      value={environment}
      onChange={(_, next: Environment | null) => change(next)}
      aria-label={t('environment.label')}
    >
      <ToggleButton value="SANDBOX" sx={{ px: { xs: 1, sm: 1.5 }, py: 0.5 }}>
        {t('environment.SANDBOX')}
      </ToggleButton>
      <ToggleButton value="PRODUCTION" sx={{ px: { xs: 1, sm: 1.5 }, py: 0.5 }}>
        {t('environment.PRODUCTION')}
      </ToggleButton>
    </ToggleButtonGroup>
  );
}
