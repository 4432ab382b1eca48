/** Happy-path the AWS provider resources: each a correct production resource that passes every policy. */
import { awsProvider, resource } from "../test/builders";

export const happyResources = {
  awsProviderResource: () =>
    resource(awsProvider.type, awsProvider.name, { ...awsProvider.properties }, undefined),
};
