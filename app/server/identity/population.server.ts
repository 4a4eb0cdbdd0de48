import { env, simulatorsOn, vneidIssuer } from "../platform/env.server";
import { population, type Resident } from "../../simulators/vneid/population";

/**
 * The portal's window on the national population database (CSDLQG về dân cư), by personal
 * identification number: the verified record behind prefill and the parent–child relation behind
 * filing for a child (issue 17, docs/security.md). Here it reads the simulated population the VNeID
 * simulator signs residents in from; a real connection goes through the national data-sharing
 * platform (NDXP) with the portal's own credentials, and would replace only this module.
 */
export type PopulationRecord = {
  cccd: string;
  fullName: string;
  /** YYYY-MM-DD. */
  birthDate: string;
  sex: "male" | "female";
  /** The permanent address as one line. */
  address: string;
  householdId: string;
  fatherCccd: string | null;
  motherCccd: string | null;
};

function record(r: Resident): PopulationRecord {
  return {
    cccd: r.cccd,
    fullName: r.fullName,
    birthDate: r.birthDate,
    sex: r.sex,
    address: r.address.text,
    householdId: r.householdId,
    fatherCccd: r.fatherCccd,
    motherCccd: r.motherCccd,
  };
}

/** Whether the population database is reachable: only beside the simulated VNeID (no real connection is configured). */
export function populationAvailable(): boolean {
  const config = env();
  return simulatorsOn(config) && vneidIssuer(config) !== null;
}

/** The record of one person, or null (unknown number, or no population database). */
export function populationRecord(cccd: string): PopulationRecord | null {
  if (!populationAvailable()) return null;
  const found = population().byCccd.get(cccd);
  return found ? record(found) : null;
}

/** The people the record names this person as father or mother of, eldest first. */
export function childrenOf(cccd: string): PopulationRecord[] {
  if (!populationAvailable()) return [];
  return population()
    .residents.filter((r) => r.fatherCccd === cccd || r.motherCccd === cccd)
    .map(record)
    .sort((a, b) => a.birthDate.localeCompare(b.birthDate));
}
