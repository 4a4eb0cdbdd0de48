import { Random } from "../../../db/scale/random";

/**
 * The simulated national population database behind the VNeID simulator: a few hundred synthetic
 * residents in households, generated from a seed so every process, test and restart sees the same
 * people (nothing to store or migrate). Plain TypeScript: the provider, the tests and later the
 * prefill read it through `population()`.
 */

/** A ward of the seeded agencies tree where residents have their permanent address. */
export type Ward = {
  /** The agency code of its People's Committee in db/seed-data/agencies.json. */
  agencyCode: string;
  provinceAgencyCode: string;
  /** The province's three-digit code in CCCD numbers (Circular 07/2016/TT-BCA, annex). */
  provinceCccdCode: string;
  wardVi: string;
  provinceVi: string;
};

export const WARDS: readonly Ward[] = [
  { agencyCode: "ha-noi-phuong-hoan-kiem", provinceAgencyCode: "ha-noi", provinceCccdCode: "001", wardVi: "Phường Hoàn Kiếm", provinceVi: "Thành phố Hà Nội" },
  { agencyCode: "ha-noi-phuong-ba-dinh", provinceAgencyCode: "ha-noi", provinceCccdCode: "001", wardVi: "Phường Ba Đình", provinceVi: "Thành phố Hà Nội" },
  { agencyCode: "ha-noi-phuong-cau-giay", provinceAgencyCode: "ha-noi", provinceCccdCode: "001", wardVi: "Phường Cầu Giấy", provinceVi: "Thành phố Hà Nội" },
  { agencyCode: "ha-noi-xa-soc-son", provinceAgencyCode: "ha-noi", provinceCccdCode: "001", wardVi: "Xã Sóc Sơn", provinceVi: "Thành phố Hà Nội" },
  {
    agencyCode: "thanh-pho-ho-chi-minh-phuong-sai-gon",
    provinceAgencyCode: "thanh-pho-ho-chi-minh",
    provinceCccdCode: "079",
    wardVi: "Phường Sài Gòn",
    provinceVi: "Thành phố Hồ Chí Minh",
  },
  {
    agencyCode: "thanh-pho-ho-chi-minh-phuong-ben-thanh",
    provinceAgencyCode: "thanh-pho-ho-chi-minh",
    provinceCccdCode: "079",
    wardVi: "Phường Bến Thành",
    provinceVi: "Thành phố Hồ Chí Minh",
  },
  {
    agencyCode: "thanh-pho-ho-chi-minh-phuong-tan-dinh",
    provinceAgencyCode: "thanh-pho-ho-chi-minh",
    provinceCccdCode: "079",
    wardVi: "Phường Tân Định",
    provinceVi: "Thành phố Hồ Chí Minh",
  },
  { agencyCode: "bac-ninh-phuong-kinh-bac", provinceAgencyCode: "bac-ninh", provinceCccdCode: "027", wardVi: "Phường Kinh Bắc", provinceVi: "Tỉnh Bắc Ninh" },
  { agencyCode: "bac-ninh-phuong-bac-giang", provinceAgencyCode: "bac-ninh", provinceCccdCode: "027", wardVi: "Phường Bắc Giang", provinceVi: "Tỉnh Bắc Ninh" },
  { agencyCode: "bac-ninh-phuong-tu-son", provinceAgencyCode: "bac-ninh", provinceCccdCode: "027", wardVi: "Phường Từ Sơn", provinceVi: "Tỉnh Bắc Ninh" },
];

/** Common family names, weighted roughly by how often they occur. */
const FAMILY_NAMES = [
  "Nguyễn",
  "Nguyễn",
  "Nguyễn",
  "Trần",
  "Trần",
  "Lê",
  "Lê",
  "Phạm",
  "Hoàng",
  "Huỳnh",
  "Phan",
  "Vũ",
  "Võ",
  "Đặng",
  "Bùi",
  "Đỗ",
  "Hồ",
  "Ngô",
  "Dương",
  "Lý",
];
const MIDDLE = { male: ["Văn", "Đức", "Minh", "Quang", "Hữu", "Thành", "Gia"], female: ["Thị", "Thị", "Ngọc", "Thu", "Thanh", "Phương", "Minh"] };
const GIVEN = {
  male: [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Đạt",
    "Hải",
    "Hiếu",
    "Hùng",
    "Khánh",
    "Long",
    "Nam",
    "Phúc",
    "Quân",
    "Sơn",
    "Thắng",
    "Trung",
    "Tuấn",
    "Việt",
    "Vinh",
    "Đông",
  ],
  female: [
    "Anh",
    "Chi",
    "Dung",
    "Giang",
    "Hà",
    "Hạnh",
    "Hoa",
    "Hương",
    "Lan",
    "Linh",
    "Mai",
    "My",
    "Ngân",
    "Nhung",
    "Phương",
    "Thảo",
    "Trang",
    "Tuyết",
    "Vân",
    "Yến",
  ],
};
const STREETS = [
  "Trần Hưng Đạo",
  "Lê Lợi",
  "Nguyễn Trãi",
  "Hai Bà Trưng",
  "Lý Thường Kiệt",
  "Quang Trung",
  "Điện Biên Phủ",
  "Phan Đình Phùng",
  "Hùng Vương",
  "Lê Duẩn",
];

export type Sex = "male" | "female";
export type Relationship = "head" | "spouse" | "child";

export type Resident = {
  /** The 12-digit personal identification (CCCD) number: the VNeID subject. */
  cccd: string;
  fullName: string;
  sex: Sex;
  /** YYYY-MM-DD. */
  birthDate: string;
  householdId: string;
  relationship: Relationship;
  fatherCccd: string | null;
  motherCccd: string | null;
  /** Where the household is registered (thường trú). */
  address: { houseNumber: string; street: string; ward: Ward; text: string };
  /** A synthetic address on example.vn (RFC 2606-style: never delivered anywhere real); null under 14. */
  email: string | null;
  phone: string | null;
};

export type Household = { id: string; ward: Ward; members: string[] };

export type Population = {
  residents: readonly Resident[];
  households: readonly Household[];
  byCccd: ReadonlyMap<string, Resident>;
};

/** The seed the portal uses; tests may generate others to show the seed alone decides the output. */
export const POPULATION_SEED = 20_260_917;
export const HOUSEHOLDS = 120;
/** Birth years are drawn up to this year, so the population does not change as the calendar moves. */
const REFERENCE_YEAR = 2025;

/**
 * The century-and-sex digit of a CCCD number (the fourth digit): 0/1 for men/women born in the
 * 1900s, 2/3 in the 2000s, 4/5 in the 2100s.
 */
export function centurySexDigit(sex: Sex, birthYear: number): number {
  const century = Math.floor(birthYear / 100) - 19;
  return century * 2 + (sex === "female" ? 1 : 0);
}

const CccdShape = /^(\d{3})(\d)(\d{2})(\d{6})$/;

/** Whether a number has the CCCD layout: a known province code, then the century/sex digit and year that match. */
export function cccdMatches(cccd: string, person: { sex: Sex; birthDate: string; provinceCccdCode?: string }): boolean {
  const m = CccdShape.exec(cccd);
  if (!m) return false;
  const year = Number(person.birthDate.slice(0, 4));
  if (person.provinceCccdCode !== undefined && m[1] !== person.provinceCccdCode) return false;
  return Number(m[2]) === centurySexDigit(person.sex, year) && m[3] === String(year % 100).padStart(2, "0");
}

function asciiFold(text: string): string {
  return text.normalize("NFD").replace(/\p{M}/gu, "").replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
}

function birthDate(random: Random, year: number): string {
  const month = random.int(1, 12);
  const day = random.int(1, 28);
  return `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

export function generatePopulation(seed = POPULATION_SEED, households = HOUSEHOLDS): Population {
  const random = new Random(seed);
  const residents: Resident[] = [];
  const homes: Household[] = [];
  const used = new Set<string>();

  const cccdFor = (sex: Sex, year: number, ward: Ward): string => {
    // Most people were registered at birth in the province they live in; some moved there.
    const province = random.chance(0.8) ? ward.provinceCccdCode : random.pick(WARDS).provinceCccdCode;
    for (;;) {
      const serial = String(random.int(0, 999_999)).padStart(6, "0");
      const number = `${province}${centurySexDigit(sex, year)}${String(year % 100).padStart(2, "0")}${serial}`;
      if (!used.has(number)) {
        used.add(number);
        return number;
      }
    }
  };

  for (let h = 0; h < households; h += 1) {
    const ward = random.pick(WARDS);
    const householdId = `HK${String(h + 1).padStart(4, "0")}`;
    const familyName = random.pick(FAMILY_NAMES);
    const houseNumber = String(random.int(1, 250));
    const street = random.pick(STREETS);
    const address = { houseNumber, street, ward, text: `Số ${houseNumber} ${street}, ${ward.wardVi}, ${ward.provinceVi}` };
    const members: string[] = [];
    const person = (sex: Sex, year: number, family: string, relationship: Relationship, parents: { father: string | null; mother: string | null }) => {
      const fullName = `${family} ${random.pick(MIDDLE[sex])} ${random.pick(GIVEN[sex])}`;
      const cccd = cccdFor(sex, year, ward);
      // Old enough for a VNeID account of their own (14): an e-mail and a phone number.
      const adult = REFERENCE_YEAR - year >= 14;
      const resident: Resident = {
        cccd,
        fullName,
        sex,
        birthDate: birthDate(random, year),
        householdId,
        relationship,
        fatherCccd: parents.father,
        motherCccd: parents.mother,
        address,
        email: adult ? `${asciiFold(fullName).replace(/\s+/g, ".")}.${cccd.slice(-4)}@example.vn` : null,
        phone: adult ? `09${String(random.int(0, 99_999_999)).padStart(8, "0")}` : null,
      };
      residents.push(resident);
      members.push(cccd);
      return resident;
    };

    const headSex: Sex = random.chance(0.7) ? "male" : "female";
    const headYear = random.int(1955, 2000);
    const head = person(headSex, headYear, familyName, "head", { father: null, mother: null });
    let spouse: Resident | null = null;
    if (random.chance(0.8)) {
      const spouseSex: Sex = headSex === "male" ? "female" : "male";
      spouse = person(spouseSex, Math.min(2000, headYear + random.int(-4, 4)), random.pick(FAMILY_NAMES), "spouse", { father: null, mother: null });
    }
    const father = head.sex === "male" ? head : spouse;
    const mother = head.sex === "female" ? head : spouse;
    const youngest = Math.max(Number(head.birthDate.slice(0, 4)), spouse ? Number(spouse.birthDate.slice(0, 4)) : 0);
    const children = random.int(0, 3);
    for (let c = 0; c < children; c += 1) {
      const year = youngest + random.int(20, 40);
      if (year > REFERENCE_YEAR) continue;
      const sex: Sex = random.chance(0.5) ? "male" : "female";
      // A child takes the father's family name, or the mother's when there is no father in the household.
      person(sex, year, (father ?? head).fullName.split(" ")[0] ?? familyName, "child", { father: father?.cccd ?? null, mother: mother?.cccd ?? null });
    }
    homes.push({ id: householdId, ward, members });
  }
  return { residents, households: homes, byCccd: new Map(residents.map((r) => [r.cccd, r])) };
}

let cached: Population | undefined;
/** The portal's simulated population (generated once per process, in a few milliseconds). */
export function population(): Population {
  cached ??= generatePopulation();
  return cached;
}

/** The residents old enough to hold a VNeID account (14 and over, as the decree allows). */
export function signInCandidates(pop: Population = population()): Resident[] {
  return pop.residents.filter((r) => REFERENCE_YEAR - Number(r.birthDate.slice(0, 4)) >= 14);
}
