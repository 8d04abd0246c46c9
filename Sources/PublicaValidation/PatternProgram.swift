import PublicaCore

/// A pattern compiled to a small NFA program and matched by set simulation (Thompson's
/// construction, as in a Pike VM without captures): every position of the text is read once,
/// with at most one thread per instruction, so a match costs O(text × program) whatever the
/// pattern. No backtracking: `(a+)+$` on a long run of `a`s is as quick as `a+`.
///
/// O(text × program) can still be long (a 32 MiB value against a program of thousands of
/// instructions): every 2^20 thread steps the match looks for a termination signal
/// (`Termination`) and, after one, stops and answers no match; the caller's next check stops the run.
struct PatternProgram {
    /// The largest program compiled; `{m,n}` copies its operand, so `(x{100}){1000}` is refused.
    static let maximumInstructions = 10_000

    enum Operation: UInt8 {
        /// Consume one scalar in `classes[a]`.
        case scalar
        /// Continue at `a` and at `b`.
        case split
        case jump
        /// Only at the start (`^`) or the end (`$`) of the text.
        case assertStart
        case assertEnd
        case match
    }

    struct Instruction {
        var operation: Operation
        var a: Int32 = 0
        var b: Int32 = 0
    }

    private(set) var instructions: [Instruction] = []
    let classes: [ScalarClass]

    /// Parses and compiles `source`; throws a ``PatternError``.
    init(_ source: String) throws {
        var parser = PatternParser(source)
        let root = try parser.parse()
        classes = parser.classes
        try emit(root)
        try append(Instruction(operation: .match))
    }

    // MARK: Compiling

    private mutating func append(_ instruction: Instruction) throws {
        guard instructions.count < PatternProgram.maximumInstructions else {
            throw PatternError(
                reason:
                    "pattern is too large: it would need more than \(PatternProgram.maximumInstructions) instructions (a large {m,n} repeats what it quantifies)"
            )
        }
        instructions.append(instruction)
    }

    private var next: Int32 { Int32(instructions.count) }

    private mutating func emit(_ node: PatternNode) throws {
        switch node {
        case .empty: break
        case .scalar(let index): try append(Instruction(operation: .scalar, a: Int32(index)))
        case .start: try append(Instruction(operation: .assertStart))
        case .end: try append(Instruction(operation: .assertEnd))
        case .sequence(let items): for item in items { try emit(item) }
        case .choice(let branches): try emitChoice(branches)
        case .repetition(let inner, let minimum, let maximum): try emitRepetition(inner, minimum, maximum)
        }
    }

    /// `split L1, next; L1: first; jump end; next: split L2, …; last; end:`.
    private mutating func emitChoice(_ branches: [PatternNode]) throws {
        var jumps: [Int] = []
        for (position, branch) in branches.enumerated() {
            if position == branches.count - 1 {
                try emit(branch)
                break
            }
            let split = instructions.count
            try append(Instruction(operation: .split, a: next + 1))
            try emit(branch)
            jumps.append(instructions.count)
            try append(Instruction(operation: .jump))
            instructions[split].b = next
        }
        for jump in jumps { instructions[jump].a = next }
    }

    /// `e{m,n}`: m copies of e, then n - m optional ones (or a loop when unbounded).
    private mutating func emitRepetition(_ inner: PatternNode, _ minimum: Int, _ maximum: Int?) throws {
        // Repeating nothing is nothing, and must cost nothing: `((){1000000}){1000000}`.
        guard !PatternProgram.emitsNothing(inner) else { return }
        let required = maximum == nil ? max(minimum - 1, 0) : minimum
        for _ in 0..<required { try emit(inner) }
        guard let maximum else {
            if minimum >= 1 {
                // The last required copy loops back on itself: `L: e; split L, out`.
                let loop = next
                try emit(inner)
                try append(Instruction(operation: .split, a: loop, b: next + 1))
            } else {
                // `L: split body, out; body: e; jump L; out:`.
                let loop = instructions.count
                try append(Instruction(operation: .split, a: next + 1))
                try emit(inner)
                try append(Instruction(operation: .jump, a: Int32(loop)))
                instructions[loop].b = next
            }
            return
        }
        var splits: [Int] = []
        for _ in minimum..<maximum {
            splits.append(instructions.count)
            try append(Instruction(operation: .split, a: next + 1))
            try emit(inner)
        }
        for split in splits { instructions[split].b = next }
    }
}

extension PatternProgram {
    /// True for a node that compiles to no instruction (an empty group, `x{0}`).
    static func emitsNothing(_ node: PatternNode) -> Bool {
        switch node {
        case .empty: return true
        case .sequence(let items): return items.allSatisfy(emitsNothing)
        case .repetition(let inner, _, let maximum): return maximum == 0 || emitsNothing(inner)
        case .scalar, .choice, .start, .end: return false
        }
    }
}

// MARK: - Matching

extension PatternProgram {
    /// True when the whole of the (valid) UTF-8 `bytes` matches.
    func matches(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let count = instructions.count
        return instructions.withUnsafeBufferPointer { program in
            classes.withUnsafeBufferPointer { classes in
                withUnsafeTemporaryAllocation(of: Int32.self, capacity: 5 * count + 2) { memory in
                    // Two thread lists, the closure's stack (each instruction pushes at most two) and
                    // the step at which each instruction last joined a list.
                    let base = memory.baseAddress!
                    var simulation = Simulation(
                        program: program, classes: classes,
                        current: base, next: base + count, stack: base + 2 * count,
                        marks: base + 4 * count + 2)
                    simulation.marks.initialize(repeating: -1, count: count)
                    return simulation.run(bytes)
                }
            }
        }
    }

    private struct Simulation {
        let program: UnsafeBufferPointer<Instruction>
        let classes: UnsafeBufferPointer<ScalarClass>
        var current: UnsafeMutablePointer<Int32>
        var next: UnsafeMutablePointer<Int32>
        let stack: UnsafeMutablePointer<Int32>
        let marks: UnsafeMutablePointer<Int32>
        var currentCount = 0
        var nextCount = 0
        var step: Int32 = 0

        init(
            program: UnsafeBufferPointer<Instruction>, classes: UnsafeBufferPointer<ScalarClass>,
            current: UnsafeMutablePointer<Int32>, next: UnsafeMutablePointer<Int32>,
            stack: UnsafeMutablePointer<Int32>, marks: UnsafeMutablePointer<Int32>
        ) {
            self.program = program
            self.classes = classes
            self.current = current
            self.next = next
            self.stack = stack
            self.marks = marks
        }

        mutating func run(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
            add(0, atStart: true, atEnd: bytes.isEmpty)
            swap(&current, &next)
            currentCount = nextCount
            var position = 0
            // Threads stepped since the last look for a termination signal.
            var work = 0
            while position < bytes.count {
                guard currentCount > 0 else { return false }
                // A long match stops on SIGTERM like every other loop: one look every 2^20 thread
                // steps (milliseconds, however many threads each scalar has).
                work &+= currentCount
                if work >= 1 << 20 {
                    work = 0
                    if Termination.signal != nil { return false }
                }
                // Marks hold steps: before the step would overflow (a value of 2^31 scalars), start them afresh.
                if step == Int32.max {
                    marks.initialize(repeating: -1, count: program.count)
                    step = 0
                }
                let (value, length) = PatternProgram.decode(bytes, at: position)
                position += length
                step += 1
                nextCount = 0
                let atEnd = position >= bytes.count
                for slot in 0..<currentCount {
                    let pc = Int(current[slot])
                    let instruction = program[pc]
                    if instruction.operation == .scalar && classes[Int(instruction.a)].contains(value) {
                        add(Int32(pc + 1), atStart: false, atEnd: atEnd)
                    }
                }
                swap(&current, &next)
                currentCount = nextCount
            }
            for slot in 0..<currentCount where program[Int(current[slot])].operation == .match { return true }
            return false
        }

        /// Adds `pc` and everything reachable from it without reading a scalar to the next list.
        private mutating func add(_ pc: Int32, atStart: Bool, atEnd: Bool) {
            var depth = 1
            stack[0] = pc
            while depth > 0 {
                depth -= 1
                let pc = Int(stack[depth])
                guard marks[pc] != step else { continue }
                marks[pc] = step
                let instruction = program[pc]
                switch instruction.operation {
                case .scalar, .match:
                    next[nextCount] = Int32(pc)
                    nextCount += 1
                case .jump:
                    stack[depth] = instruction.a
                    depth += 1
                case .split:
                    stack[depth] = instruction.b
                    stack[depth + 1] = instruction.a
                    depth += 2
                case .assertStart where atStart, .assertEnd where atEnd:
                    stack[depth] = Int32(pc + 1)
                    depth += 1
                case .assertStart, .assertEnd: break
                }
            }
        }
    }

    /// The scalar value at `index` of valid UTF-8, and its length in bytes.
    @inline(__always)
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> (UInt32, Int) {
        let lead = bytes[index]
        if lead < 0x80 { return (UInt32(lead), 1) }
        var length = 2
        var value = UInt32(lead & 0x1F)
        if lead >= 0xF0 {
            length = 4; value = UInt32(lead & 0x07)
        } else if lead >= 0xE0 {
            length = 3; value = UInt32(lead & 0x0F)
        }
        for offset in 1..<length where index + offset < bytes.count {
            value = value << 6 | UInt32(bytes[index + offset] & 0x3F)
        }
        return (value, length)
    }
}
