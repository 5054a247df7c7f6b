import { useCallback } from 'react';
import { useQuery } from 'urql';
import { useTranslation } from 'react-i18next';
import { graphql } from '../gql/gql';
import type { PortalConfigQuery } from '../gql/graphql';

export const PortalConfigDocument = graphql(`
  query PortalConfig {
    portalConfig {
      supportUrl
      referenceGuideUrl
      integrationTypes {
        name
        label
        merchantIssues
      }
    }
  }
`);

export type PortalConfig = PortalConfigQuery['portalConfig'];

/** Public configuration: support and reference-guide links, the integration type catalogue. */
export function usePortalConfig(): PortalConfig | undefined {
  const [{ data }] = useQuery({ query: PortalConfigDocument, requestPolicy: 'cache-first' });
  return data?.portalConfig;
}

/** An integration type's name in the user's language (the catalogue's English label otherwise). */
export function useIntegrationTypeLabel(): (name: string) => string {
  const { t } = useTranslation();
  const config = usePortalConfig();
  return useCallback(
    (name: string) => {
      const label = config?.integrationTypes.find((it) => it.name === name)?.label ?? name;
      return t(`integrationTypes.${name}` as never, { defaultValue: label }) as string;
    },
    [config, t],
  );
}
