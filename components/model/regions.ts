/**
 * Regions inside the European Union, where EU stacks keep their data, its DR copies and their
 * standbys. London (eu-west-2) and Zurich (eu-central-2) carry an `eu-` name but are outside the EU.
 * @see https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html
 */
export const EU_REGIONS: readonly string[] = [
  "eu-central-1", // Frankfurt
  "eu-west-1", // Ireland
  "eu-west-3", // Paris
  "eu-south-1", // Milan
  "eu-south-2", // Spain
  "eu-north-1", // Stockholm
];

export function isEuRegion(region: string): boolean {
  return EU_REGIONS.includes(region);
}
