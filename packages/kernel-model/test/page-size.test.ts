import type { Hardware } from "@tcpmem/schema";
import { normalizeHardware } from "../src/hardware/normalize-hardware";
import { computeBootDefaults } from "../src/tcp-init/compute-boot-defaults";
import { loadFixtureCases } from "./fixture-cases";

/**
 * Kernels with 16 or 64 KiB pages (arm64's `-64k`/`+64k`/`+16k` flavours: Ubuntu generic-64k, RHEL kernel-64k,
 * Fedora Asahi). tcp_mem, udp_mem and every zone count those pages; a model in 4 KiB pages made tcp_mem 16 times
 * too large (72% of RAM as its low mark), from the host's own zoneinfo too. No 64 KiB kernel is booted here, so the
 * tests hold the model to what must stay true when only the page size changes.
 */
const tcpMem = (hardware: Hardware): readonly number[] => {
  const v = computeBootDefaults(hardware).sysctls["net.ipv4.tcp_mem"];
  if (typeof v !== "object") throw new Error("tcp_mem is a triple");
  return v;
};
const shareOfRam = (
  pages: number,
  pageSize: number,
  ramBytes: number,
): number => (pages * pageSize) / ramBytes;

describe("page size flavours of a kernel release", () => {
  it.each([
    ["Ubuntu generic-64k", "6.8.0-45-generic-64k", 65536],
    ["Ubuntu nvidia-64k", "6.8.0-1009-nvidia-64k", 65536],
    ["RHEL kernel-64k", "5.14.0-427.13.1.el9_4.aarch64+64k", 65536],
    ["Fedora Asahi 16k", "6.6.3-400.asahi.fc39.aarch64+16k", 16384],
  ])(
    "%s (%s) is an arm64 kernel with %i-byte pages",
    (_what, kernel, pageSize) => {
      const machine = normalizeHardware({ kernel, memory: "8GiB" });
      expect([machine.arch, machine.pageSize]).toEqual(["aarch64", pageSize]);
    },
  );

  it.each([
    [
      "the page size given",
      {
        kernel: "6.8.0-45-generic-64k",
        memory: "8GiB",
        pageSize: 4096 as const,
      },
      4096,
    ],
    [
      "a plain arm64 release",
      { kernel: "6.1.0-26-arm64", memory: "8GiB" },
      4096,
    ],
    ["an x86-64 release", { kernel: "6.1.0-26-amd64", memory: "8GiB" }, 4096],
  ])("keeps %s", (_what, hardware, pageSize) => {
    expect(normalizeHardware(hardware).pageSize).toBe(pageSize);
  });
});

describe("tcp_mem with 64 KiB pages", () => {
  // A real arm64 boot (Debian 6.1 cloud, 8 GiB under QEMU virt), and the same zones counted in 64 KiB pages.
  const c = loadFixtureCases().find((x) => x.id === "v61-cloud-arm64-8g");
  const ramBytes = 8 * 2 ** 30;

  it("from the hardware alone: the same share of RAM as with 4 KiB pages, without THP raising min_free_kbytes", () => {
    const base = {
      kernel: "6.1.0-26-arm64",
      memory: "8GiB",
      cpus: 2,
      cmdline: "transparent_hugepage=never",
    };
    const small = tcpMem({ ...base, pageSize: 4096 });
    const large = tcpMem({ ...base, pageSize: 65536 });
    // 4 KiB-page memmap and page tables stay in the 64 KiB model: at most 1.5% of RAM less managed memory
    for (const i of [0, 1, 2])
      expect(
        shareOfRam(large[i]!, 65536, ramBytes) /
          shareOfRam(small[i]!, 4096, ramBytes),
      ).toBeGreaterThan(0.985);
    for (const i of [0, 1, 2])
      expect(
        shareOfRam(large[i]!, 65536, ramBytes) /
          shareOfRam(small[i]!, 4096, ramBytes),
      ).toBeLessThanOrEqual(1.0005);
  });

  it("from the host's zoneinfo counted in 64 KiB pages: a sixteenth of the 4 KiB tcp_mem, within the rounding", () => {
    expect(c).toBeDefined();
    const facts = c!.facts.facts!;
    const zoneinfo = (facts.zoneinfo ?? "").replace(
      /^(\s+(?:spanned|present|managed|min|low|high|pages free)\s+)(\d+)$/gm,
      (_m, head: string, n: string) => `${head}${Math.floor(Number(n) / 16)}`,
    );
    const never = {
      ...c!.facts,
      cmdline: "transparent_hugepage=never",
      facts: { ...facts, thpEnabled: "always madvise [never]" },
    };
    const small = tcpMem(never);
    const large = tcpMem({
      ...never,
      pageSize: 65536,
      facts: { ...never.facts, zoneinfo },
    });
    for (const i of [0, 1, 2])
      expect(Math.abs(large[i]! * 16 - small[i]!) / small[i]!).toBeLessThan(
        0.003,
      );
  });

  it("with THP, min_free_kbytes is raised by 512 MiB pageblocks, up to 5% of lowmem (set_recommended_min_free_kbytes)", () => {
    const base = { kernel: "6.1.0-26-arm64", memory: "64GiB", cpus: 8 };
    const small = computeBootDefaults({ ...base, pageSize: 4096 }).sysctls[
      "vm.min_free_kbytes"
    ] as number;
    const large = computeBootDefaults({ ...base, pageSize: 65536 }).sysctls[
      "vm.min_free_kbytes"
    ] as number;
    // 4 KiB: 512 pages × 2 zones × 11 = 44 MiB; 64 KiB: 8192 × 2 × 11 pages = 11 GiB, capped at 5% of ~64 GiB
    expect(small).toBe(512 * 2 * 11 * 4);
    expect(large / (64 * 2 ** 20)).toBeGreaterThan(0.045);
    expect(large / (64 * 2 ** 20)).toBeLessThanOrEqual(0.05);
  });
});
